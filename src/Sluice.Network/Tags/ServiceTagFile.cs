namespace Sluice.Network.Tags;

/// <summary>The content of a file in the format of Azure's published service tags (<c>ServiceTags_Public_*.json</c>).</summary>
public sealed record ServiceTagFile(long ChangeNumber, string? Cloud, IReadOnlyList<ServiceTag> Tags);
