namespace Sluice.Core.Yaml;

/// <summary>How strictly a spec is read. The CLI reads files beside their local paths; the server reads bodies that must not name local paths.</summary>
public sealed record SpecReadOptions
{
    /// <summary>Check that local paths (models, code folders, conda files) exist relative to the spec file.</summary>
    public bool CheckLocalPaths { get; init; } = true;

    /// <summary>
    /// Whether local paths are acceptable at all. The server sets this to false: a path on the caller's machine means
    /// nothing to it, so clients upload the content first (the CLI does) and send a datastore URI instead.
    /// </summary>
    public bool AllowLocalPaths { get; init; } = true;

    public static SpecReadOptions Cli { get; } = new();

    public static SpecReadOptions Server { get; } = new() { CheckLocalPaths = false, AllowLocalPaths = false };
}
