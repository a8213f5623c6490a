using Sluice.Core.References;

namespace Sluice.Core.Specs;

/// <summary>A conda environment file (<c>name</c>, <c>channels</c>, <c>dependencies</c>), read so it can be validated.</summary>
public sealed record CondaFileSpec
{
    public string? Name { get; init; }

    public IReadOnlyList<string> Channels { get; init; } = [];

    public IReadOnlyList<string> Dependencies { get; init; } = [];

    public IReadOnlyList<string> PipDependencies { get; init; } = [];
}

/// <summary>The <c>inputs:</c>/<c>outputs:</c> file given to <c>batch-endpoint invoke --file</c>.</summary>
public sealed record JobIoSpec
{
    public IReadOnlyDictionary<string, JobInput> Inputs { get; init; } = new SortedDictionary<string, JobInput>(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, JobOutput> Outputs { get; init; } = new SortedDictionary<string, JobOutput>(StringComparer.Ordinal);
}

public sealed record JobInput
{
    public IoType Type { get; init; } = IoType.UriFolder;

    public Reference? Path { get; init; }

    /// <summary>The literal value of a string, integer, number or boolean input.</summary>
    public string? Value { get; init; }

    public string? Mode { get; init; }
}

public sealed record JobOutput
{
    public IoType Type { get; init; } = IoType.UriFolder;

    public Reference? Path { get; init; }

    public string? Mode { get; init; }
}
