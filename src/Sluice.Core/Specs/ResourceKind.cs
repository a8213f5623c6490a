namespace Sluice.Core.Specs;

/// <summary>The kinds of resource a workspace holds, in the vocabulary of <c>az ml</c>.</summary>
public enum ResourceKind
{
    Workspace,
    Datastore,
    Data,
    Model,
    Environment,
    Compute,
    BatchEndpoint,
    BatchDeployment,
    Component,
}

/// <summary>What a YAML file can describe: a resource, or one of the helper documents resources point at.</summary>
public enum DocumentKind
{
    Workspace,
    Datastore,
    Data,
    Model,
    Environment,
    Compute,
    BatchEndpoint,
    BatchDeployment,
    Component,

    /// <summary>A conda environment file, referenced by an environment's <c>conda_file</c>.</summary>
    CondaFile,

    /// <summary>An <c>inputs:</c>/<c>outputs:</c> file for <c>batch-endpoint invoke --file</c>.</summary>
    JobInputs,
}

public static class ResourceKindExtensions
{
    public static bool IsVersioned(this ResourceKind kind) =>
        kind is ResourceKind.Data or ResourceKind.Model or ResourceKind.Environment or ResourceKind.Component;

    /// <summary>The words users see: "batch endpoint", "data asset".</summary>
    public static string DisplayName(this ResourceKind kind) => kind switch
    {
        ResourceKind.Data => "data asset",
        ResourceKind.BatchEndpoint => "batch endpoint",
        ResourceKind.BatchDeployment => "batch deployment",
        ResourceKind.Compute => "compute",
        _ => kind.ToString().ToLowerInvariant(),
    };

    /// <summary>The command group of the CLI, as in <c>az ml</c>.</summary>
    public static string CommandGroup(this ResourceKind kind) => kind switch
    {
        ResourceKind.BatchEndpoint => "batch-endpoint",
        ResourceKind.BatchDeployment => "batch-deployment",
        _ => kind.ToString().ToLowerInvariant(),
    };

    public static DocumentKind ToDocumentKind(this ResourceKind kind) => (DocumentKind)(int)kind;
}
