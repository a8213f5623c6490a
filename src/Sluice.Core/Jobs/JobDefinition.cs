using System.Text.Json;
using Sluice.Core.Serialization;
using Sluice.Core.Specs;

namespace Sluice.Core.Jobs;

/// <summary>
/// A job as resolved when it was invoked: the deployment as it was then (references pinned, per-job overrides
/// applied), the input and the output. Later changes to the deployment never change a job that already exists.
/// </summary>
public sealed record JobDefinition
{
    public required string Name { get; init; }

    public required string Workspace { get; init; }

    public required string EndpointName { get; init; }

    public required string DeploymentName { get; init; }

    /// <summary>The effective deployment spec as canonical JSON (read back with <see cref="Deployment"/>).</summary>
    public required string DeploymentJson { get; init; }

    public required JobInputBinding Input { get; init; }

    /// <summary>The model's files, resolved from the deployment's pinned model version when the job was created.</summary>
    public required DatastoreLocation Model { get; init; }

    public required JobOutputBinding Output { get; init; }

    /// <summary>The interpreter for script scorers, from the deployment's environment; null means <c>python3</c>.</summary>
    public string? Interpreter { get; init; }

    public ModelBatchDeploymentSpec Deployment() => SpecCodec.Decode<ModelBatchDeploymentSpec>(ResourceKind.BatchDeployment, DeploymentJson);

    public string ToJson() => JsonSerializer.Serialize(this, SluiceJson.Options);

    public static JobDefinition FromJson(string json) =>
        JsonSerializer.Deserialize<JobDefinition>(json, SluiceJson.Options) ?? throw new InvalidOperationException("Empty job definition.");
}

/// <summary>The data a job reads: a file or folder in a datastore (data assets are resolved to their path at invocation).</summary>
public sealed record JobInputBinding
{
    public required string Name { get; init; }

    public required IoType Type { get; init; }

    public required string Datastore { get; init; }

    public required string Path { get; init; }

    /// <summary>The data asset the input came from, as <c>azureml:name:version</c>, when it came from one.</summary>
    public string? DataAsset { get; init; }

    /// <summary>Read files in subfolders too (Azure ML reads only the top level of a folder).</summary>
    public bool Recursive { get; init; }

    public string Uri => $"azureml://datastores/{Datastore}/paths/{Path}";
}

/// <summary>Where a job writes: its output folder and, for <c>append_row</c>, the file name in it.</summary>
public sealed record JobOutputBinding
{
    public required string Name { get; init; }

    public required string Datastore { get; init; }

    /// <summary>The output folder, datastore-relative, without a trailing slash.</summary>
    public required string Folder { get; init; }

    public required string FileName { get; init; }

    public string FolderUri => $"azureml://datastores/{Datastore}/paths/{Folder}/";
}

/// <summary>A file or folder in a datastore.</summary>
public sealed record DatastoreLocation(string Datastore, string Path)
{
    public string Uri => $"azureml://datastores/{Datastore}/paths/{Path}";
}
