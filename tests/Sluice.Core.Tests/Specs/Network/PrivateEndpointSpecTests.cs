using Sluice.Core.Specs.Network;
using Sluice.Core.Tests.TestSupport;

namespace Sluice.Core.Tests.Specs.Network;

public sealed class PrivateEndpointSpecTests
{
    [Fact]
    public void PrivateEndpoint_WithEveryField_ReadsThem()
    {
        var endpoint = Spec.Valid<PrivateEndpointSpec>(
            """
            type: private_endpoint
            name: pe-blob
            subnet: vnet1/endpoints
            private_ip_address: 10.0.2.5
            private_link_service_connection:
              target: storage_account:mystorage
              group_id: Blob
              status: pending
            custom_dns_configs:
              - fqdn: MyStorage.blob.core.windows.net
                ip_addresses: [10.0.2.5]
            """);

        Assert.Equal(new SubnetReference("vnet1", "endpoints"), endpoint.Subnet);
        Assert.Equal(["10.0.2.5"], endpoint.PrivateIpAddresses);
        Assert.Equal(new PrivateLinkTarget(PrivateLinkTargetKind.StorageAccount, "mystorage"), endpoint.PrivateLinkServiceConnection.Target);
        Assert.Equal(("blob", PrivateLinkConnectionStatus.Pending), (endpoint.PrivateLinkServiceConnection.GroupId, endpoint.PrivateLinkServiceConnection.Status));
        Assert.Equal("mystorage.blob.core.windows.net", Assert.Single(endpoint.CustomDnsConfigs).Fqdn);
        Assert.Contains("\"private_link_service_connection\":{\"target\":\"storage_account:mystorage\",\"group_id\":\"blob\",\"status\":\"Pending\"}", Core.Serialization.SpecCodec.Encode(endpoint), StringComparison.Ordinal);
    }

    [Fact]
    public void PrivateEndpoint_WithArmIdTarget_TakesItsKindAndName()
    {
        var endpoint = Spec.Valid<PrivateEndpointSpec>(
            """
            type: private_endpoint
            name: pe-kv
            subnet: vnet1/endpoints
            private_link_service_connection:
              target: /subscriptions/0/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1
              group_id: vault
            """);

        Assert.Equal(new PrivateLinkTarget(PrivateLinkTargetKind.SecretStore, "kv1"), endpoint.PrivateLinkServiceConnection.Target);
        Assert.Equal(PrivateLinkConnectionStatus.Approved, endpoint.PrivateLinkServiceConnection.Status);
        Assert.Empty(endpoint.PrivateIpAddresses);
    }

    [Theory]
    [InlineData("workspace:ws1", "vault", "spec.yml:6:13: private_link_service_connection.group_id: 'vault' is not a sub-resource of a workspace ('vault' is a secret_store's); expected amlworkspace")]
    [InlineData("storage_account:mystorage", "registry", "spec.yml:6:13: private_link_service_connection.group_id: 'registry' is not a sub-resource of a storage_account ('registry' is a registry's); expected one of: blob, file, queue, table, dfs")]
    [InlineData("storage_acount:mystorage", "blob", "spec.yml:5:11: private_link_service_connection.target: 'storage_acount' is not a kind a private endpoint can reach; expected one of: workspace, storage_account, secret_store, registry (did you mean 'storage_account'?)")]
    [InlineData("mystorage", "blob", "spec.yml:5:11: private_link_service_connection.target: 'mystorage' does not say what kind of resource it is; write <kind>:<name>, e.g. storage_account:mystorage")]
    [InlineData("storage_account:My_Storage", "blob", "spec.yml:5:11: private_link_service_connection.target: 'My_Storage' is not a valid name: a storage account name has 3 to 24 characters: lowercase letters and digits only")]
    public void PrivateEndpoint_WithMismatchedTargetOrGroup_IsReported(string target, string group, string expected)
    {
        var result = Spec.Read($"type: private_endpoint\nname: pe\nsubnet: vnet1/endpoints\nprivate_link_service_connection:\n  target: {target}\n  group_id: {group}\n");

        Spec.SingleError(result, expected);
    }

    [Fact]
    public void PrivateEndpoint_WithoutConnectionAndWithBadDns_IsReported()
    {
        Spec.Errors(
            Spec.Read("type: private_endpoint\nname: pe\nsubnet: vnet1/endpoints\nprivate_ip_addresses: [10.0.2.5, 10.0.2.5]\ncustom_dns_configs:\n  - fqdn: not a name\n"),
            "spec.yml:1:1: missing required key 'private_link_service_connection'; what the endpoint connects to: {target: storage_account:<name>, group_id: blob}",
            "spec.yml:4:34: private_ip_addresses[1]: '10.0.2.5' is listed twice",
            "spec.yml:6:11: custom_dns_configs[0].fqdn: 'not a name' is not a DNS name, e.g. mystorage.blob.core.windows.net",
            "spec.yml:6:5: missing required key 'custom_dns_configs[0].ip_addresses'; the private addresses the name resolves to");
    }

    [Fact]
    public void Dns_DerivedFromTheTarget_FollowsAzuresZones()
    {
        var connection = new PrivateLinkServiceConnectionSpec { Target = new PrivateLinkTarget(PrivateLinkTargetKind.StorageAccount, "mystorage"), GroupId = "blob" };

        var record = Assert.Single(PrivateLinkDns.Derive(connection, ["10.0.2.5"], "westeurope"));

        Assert.Equal(("mystorage.blob.core.windows.net", "mystorage.privatelink.blob.core.windows.net"), (record.Fqdn, record.PrivateLinkFqdn));
        Assert.Equal(["10.0.2.5"], record.IpAddresses);
        Assert.Equal("kv1.vault.azure.net", PrivateLinkDns.Derive(connection with { Target = new PrivateLinkTarget(PrivateLinkTargetKind.SecretStore, "kv1"), GroupId = "vault" }, [], "westeurope")[0].Fqdn);
        Assert.Equal(["acr12345.azurecr.io", "acr12345.westeurope.data.azurecr.io"], PrivateLinkDns.Derive(connection with { Target = new PrivateLinkTarget(PrivateLinkTargetKind.Registry, "acr12345"), GroupId = "registry" }, [], "westeurope").Select(r => r.Fqdn));
        Assert.Equal("ws1.workspace.local.api.azureml.ms", PrivateLinkDns.Derive(connection with { Target = new PrivateLinkTarget(PrivateLinkTargetKind.Workspace, "ws1"), GroupId = "amlworkspace" }, [], "local")[0].Fqdn);
    }
}
