using System.Text.Json.Serialization;

namespace Sluice.Core.Specs.Network;

/// <summary>
/// What every network resource has besides a name: its <c>type</c> (the word that identifies the kind in YAML, always
/// written so stored and shown documents say what they are) and, for Azure's located resources, a location.
/// </summary>
public abstract record NetworkResourceSpec : ResourceSpec
{
    /// <summary>The <c>type:</c> word of the kind, e.g. <c>virtual_network</c>.</summary>
    [JsonPropertyOrder(-11)]
    public string Type => Kind.NetworkTypeName()!;

    /// <summary>
    /// The Azure region, kept for Azure files and for derived names (a workspace's private DNS name). When omitted the
    /// server fills in the workspace's location, or <c>local</c>. Service tags have none.
    /// </summary>
    [JsonPropertyOrder(-6)]
    public string? Location { get; init; }
}
