using Sluice.Core.References;

namespace Sluice.Core.Specs;

public enum ModelType
{
    CustomModel,
    MlflowModel,
    TritonModel,
}

/// <summary>A named, versioned model: a file or folder of weights.</summary>
public sealed record ModelSpec : VersionedResourceSpec
{

    public ModelType Type { get; init; } = ModelType.CustomModel;

    public required Reference Path { get; init; }

    public string? Stage { get; init; }

    public IReadOnlyDictionary<string, string> Properties { get; init; } = Empty;
}
