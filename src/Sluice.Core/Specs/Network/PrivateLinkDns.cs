namespace Sluice.Core.Specs.Network;

/// <summary>A DNS name a private endpoint answers for: the public name, the private-link zone name it is an alias of, and the private addresses.</summary>
public sealed record PrivateDnsRecord(string Fqdn, string? PrivateLinkFqdn, IReadOnlyList<string> IpAddresses);

/// <summary>
/// The DNS records Azure creates for a private endpoint, derived from its target and sub-resource: e.g. for
/// <c>storage_account:mystorage</c>, group <c>blob</c>: <c>mystorage.blob.core.windows.net</c> →
/// <c>mystorage.privatelink.blob.core.windows.net</c> → the endpoint's address.
/// </summary>
public static class PrivateLinkDns
{
    /// <summary>The endpoint's records: its <c>custom_dns_configs</c> when given, else the derived ones.</summary>
    public static IReadOnlyList<PrivateDnsRecord> Effective(PrivateEndpointSpec endpoint, string location) =>
        endpoint.CustomDnsConfigs.Count > 0
            ? [.. endpoint.CustomDnsConfigs.Select(c => new PrivateDnsRecord(c.Fqdn, null, c.IpAddresses))]
            : Derive(endpoint.PrivateLinkServiceConnection, endpoint.PrivateIpAddresses, location);

    public static IReadOnlyList<PrivateDnsRecord> Derive(PrivateLinkServiceConnectionSpec connection, IReadOnlyList<string> addresses, string location)
    {
        var name = connection.Target.Name.ToLowerInvariant();
        var group = connection.GroupId.ToLowerInvariant();
        return connection.Target.Kind switch
        {
            PrivateLinkTargetKind.StorageAccount =>
                [new($"{name}.{group}.core.windows.net", $"{name}.privatelink.{group}.core.windows.net", addresses)],
            PrivateLinkTargetKind.SecretStore =>
                [new($"{name}.vault.azure.net", $"{name}.privatelink.vaultcore.azure.net", addresses)],
            PrivateLinkTargetKind.Registry =>
            [
                new($"{name}.azurecr.io", $"{name}.privatelink.azurecr.io", addresses),
                new($"{name}.{location}.data.azurecr.io", $"{name}.{location}.data.privatelink.azurecr.io", addresses),
            ],
            _ => [new($"{name}.workspace.{location}.api.azureml.ms", $"{name}.workspace.{location}.privatelink.api.azureml.ms", addresses)],
        };
    }
}
