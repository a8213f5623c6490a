using Sluice.Core.References;

namespace Sluice.Core.Specs;

public enum OsType
{
    Linux,
    Windows,
}

/// <summary>
/// What scoring code runs in. Sluice runs scorers on the node's own runtime; the image and conda file are kept so
/// Azure ML files carry over, and script scorers take their interpreter from here.
/// </summary>
public sealed record EnvironmentSpec : VersionedResourceSpec
{

    public string? Image { get; init; }

    public Reference? CondaFile { get; init; }

    public EnvironmentBuild? Build { get; init; }

    public OsType OsType { get; init; } = OsType.Linux;

    /// <summary>Sluice extension: the interpreter that runs script scorers (default <c>python3</c> on the node's PATH).</summary>
    public string? Interpreter { get; init; }
}

public sealed record EnvironmentBuild
{
    public required Reference Path { get; init; }

    public string? DockerfilePath { get; init; }
}
