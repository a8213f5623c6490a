using System.Text.Json.Nodes;
using Sluice.Core.Specs;

namespace Sluice.Server.Resources;

/// <summary>A resource as the store holds it: the user's spec plus what the server owns about it.</summary>
public sealed record StoredResource(
    string Workspace,
    ResourceKind Kind,
    string Parent,
    string Name,
    string Version,
    ResourceSpec Spec,
    JsonObject System,
    DateTime CreatedAt,
    DateTime ModifiedAt,
    bool Archived);
