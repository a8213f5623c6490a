namespace Sluice.Core.Specs;

public enum AuthMode
{
    AadToken,
}

/// <summary>A stable name that jobs are invoked on; routes each invocation to its default deployment or a named one.</summary>
public sealed record BatchEndpointSpec : ResourceSpec
{

    public AuthMode AuthMode { get; init; } = AuthMode.AadToken;

    public BatchEndpointDefaults Defaults { get; init; } = new();
}

public sealed record BatchEndpointDefaults
{
    public string? DeploymentName { get; init; }
}
