using Sluice.Core.Specs;
using Sluice.Data.Datastores;

namespace Sluice.Cluster.Workers;

/// <summary>
/// How <see cref="DatastoreAccess"/> crosses Orleans boundaries: the data layer knows nothing of Orleans, so its record
/// travels as this surrogate. The secret travels too (nodes open datastores themselves); it is never printed.
/// </summary>
[GenerateSerializer, Immutable, Alias("sluice.datastore-access")]
public readonly struct DatastoreAccessSurrogate
{
    [Id(0)]
    public required string Name { get; init; }

    [Id(1)]
    public required DatastoreType Type { get; init; }

    [Id(2)]
    public string? LocalRoot { get; init; }

    [Id(3)]
    public string? AccountName { get; init; }

    [Id(4)]
    public string? ContainerName { get; init; }

    [Id(5)]
    public string? BlobEndpoint { get; init; }

    [Id(6)]
    public DatastoreCredentialKind CredentialKind { get; init; }

    [Id(7)]
    public string? Secret { get; init; }

    public override string ToString() => $"DatastoreAccessSurrogate {{ Name = {Name}, Type = {Type} }}";
}

[RegisterConverter]
public sealed class DatastoreAccessSurrogateConverter : IConverter<DatastoreAccess, DatastoreAccessSurrogate>
{
    public DatastoreAccess ConvertFromSurrogate(in DatastoreAccessSurrogate surrogate) => new(surrogate.Name, surrogate.Type, surrogate.LocalRoot)
    {
        AccountName = surrogate.AccountName,
        ContainerName = surrogate.ContainerName,
        BlobEndpoint = surrogate.BlobEndpoint,
        CredentialKind = surrogate.CredentialKind,
        Secret = surrogate.Secret,
    };

    public DatastoreAccessSurrogate ConvertToSurrogate(in DatastoreAccess value) => new()
    {
        Name = value.Name,
        Type = value.Type,
        LocalRoot = value.LocalRoot,
        AccountName = value.AccountName,
        ContainerName = value.ContainerName,
        BlobEndpoint = value.BlobEndpoint,
        CredentialKind = value.CredentialKind,
        Secret = value.Secret,
    };
}
