using Sluice.Core.References;

namespace Sluice.Core.Specs;

public enum DataAssetType
{
    UriFile,
    UriFolder,

    // Parsed for a precise "not supported" message.
    Mltable,
}

/// <summary>A named, versioned pointer to a file or folder.</summary>
public sealed record DataAssetSpec : VersionedResourceSpec
{

    public DataAssetType Type { get; init; } = DataAssetType.UriFolder;

    public required Reference Path { get; init; }
}
