using Sluice.Core.Specs;
using Sluice.Core.Specs.Network;
using Sluice.Core.Tests.TestSupport;

namespace Sluice.Core.Tests.Specs.Network;

/// <summary>Storage accounts, secret stores and registries: public access, public address, firewall.</summary>
public sealed class ServiceResourceSpecTests
{
    [Fact]
    public void StorageAccount_WithEveryField_ReadsThem()
    {
        var storage = Spec.Valid<StorageAccountSpec>(
            """
            type: storage_account
            name: mystorage
            location: westeurope
            public_network_access: disabled
            public_address: 20.60.1.5
            network_rule_set:
              default_action: deny
              bypass: "Logging, Metrics"
              ip_rules: [203.0.113.0/24, 198.51.100.7]
              virtual_network_rules: [vnet1/compute]
            """);

        Assert.Equal((PublicNetworkAccess.Disabled, "20.60.1.5"), (storage.PublicNetworkAccess, storage.PublicAddress));
        Assert.Equal(NetworkRuleAction.Deny, storage.NetworkRuleSet.DefaultAction);
        Assert.Equal([NetworkRuleBypass.Logging, NetworkRuleBypass.Metrics], storage.NetworkRuleSet.Bypass);
        Assert.Equal(["203.0.113.0/24", "198.51.100.7"], storage.NetworkRuleSet.IpRules);
        Assert.Equal([new SubnetReference("vnet1", "compute")], storage.NetworkRuleSet.VirtualNetworkRules);
        Assert.Contains("\"public_network_access\":\"Disabled\"", Core.Serialization.SpecCodec.Encode(storage), StringComparison.Ordinal);
        Assert.Contains("\"bypass\":[\"Logging\",\"Metrics\"]", Core.Serialization.SpecCodec.Encode(storage), StringComparison.Ordinal);
    }

    [Fact]
    public void StorageAccount_WithOnlyAName_HasAzuresDefaults()
    {
        var storage = Spec.Valid<StorageAccountSpec>("type: storage_account\nname: mystorage\n");

        Assert.Equal(PublicNetworkAccess.Enabled, storage.PublicNetworkAccess);
        Assert.Null(storage.PublicAddress);
        Assert.Equal(NetworkRuleAction.Allow, storage.NetworkRuleSet.DefaultAction);
        Assert.Equal([NetworkRuleBypass.AzureServices], storage.NetworkRuleSet.Bypass);
    }

    [Fact]
    public void StorageAccount_WithBadRules_ReportsEach()
    {
        Spec.Errors(
            Spec.Read(
                """
                type: storage_account
                name: mystorage
                public_address: 10.1.2.3
                network_rule_set:
                  default_action: Block
                  bypass: [None, AzureServices, Loging]
                  ip_rules: [10.0.0.0/8, 203.0.113.0/31, "2001:db8::/32"]
                  virtual_network_rules: [compute]
                """),
            "spec.yml:3:17: public_address: 10.1.2.3 is a private or reserved address; a public address is needed here (203.0.113.0/24 and 198.51.100.0/24 are documentation ranges for examples)",
            "spec.yml:5:19: network_rule_set.default_action: 'Block' is not allowed; expected one of: Allow, Deny",
            "spec.yml:6:33: network_rule_set.bypass[2]: 'Loging' is not allowed; expected one of: None, AzureServices, Logging, Metrics (did you mean 'Logging'?)",
            "spec.yml:6:11: network_rule_set.bypass: None cannot be combined with other values",
            "spec.yml:7:14: network_rule_set.ip_rules[0]: 10.0.0.0/8 is a private range; IP rules admit public addresses only (allow a subnet with virtual_network_rules, or use a private endpoint)",
            "spec.yml:7:26: network_rule_set.ip_rules[1]: Azure does not accept /31 ranges in IP rules; list the addresses one by one",
            "spec.yml:7:42: network_rule_set.ip_rules[2]: IP rules take public IPv4 addresses and ranges only, as in Azure",
            "spec.yml:8:27: network_rule_set.virtual_network_rules[0]: 'compute' does not name a subnet; write <virtual_network>/<subnet>, e.g. vnet1/compute");
    }

    [Fact]
    public void StorageAccount_WithInvalidName_ReportsAzuresRule()
    {
        Spec.SingleError(Spec.Read("type: storage_account\nname: My-Storage\n"), "spec.yml:2:7: name: 'My-Storage' is not a valid name: a storage account name has 3 to 24 characters: lowercase letters and digits only");
    }

    [Fact]
    public void SecretStore_WithAcls_AcceptsOnlyTrustedServicesAsBypass()
    {
        var store = Spec.Valid<SecretStoreSpec>("type: secret_store\nname: kv1\npublic_address: 20.1.2.3\nnetwork_acls: { default_action: Deny, bypass: [AzureServices], ip_rules: [], virtual_network_rules: [vnet1/compute] }\n");

        Assert.Equal(NetworkRuleAction.Deny, store.NetworkAcls.DefaultAction);
        Assert.Equal([new SubnetReference("vnet1", "compute")], store.NetworkAcls.VirtualNetworkRules);
        Spec.SingleError(
            Spec.Read("type: secret_store\nname: kv1\nnetwork_acls:\n  bypass: [Logging]\n"),
            "spec.yml:4:12: network_acls.bypass[0]: 'Logging' is not allowed; expected one of: None, AzureServices");
    }

    [Fact]
    public void Registry_WithQuarantine_ReadsItAndRefusesVirtualNetworkRules()
    {
        var result = Spec.Read("type: registry\nname: acr12345\npublic_network_access: Disabled\npublic_address: 20.1.2.4\nquarantine: true\n");

        var registry = Spec.Valid<RegistrySpec>(result);
        Assert.Equal(DocumentKind.Registry, result.Kind);
        Assert.True(registry.Quarantine);
        Assert.Equal(PublicNetworkAccess.Disabled, registry.PublicNetworkAccess);
        Spec.SingleError(
            Spec.Read("type: registry\nname: acr12345\nnetwork_rule_set:\n  virtual_network_rules: [vnet1/compute]\n"),
            "spec.yml:4:3: network_rule_set.virtual_network_rules: registries have no virtual network rules; reach them from a subnet through a private endpoint");
    }

    [Fact]
    public void Sku_IsToleratedWithAWarning()
    {
        var result = Spec.Read("type: registry\nname: acr12345\nsku: Premium\n");

        Spec.Valid<RegistrySpec>(result);
        Assert.Equal(["spec.yml:3:6: warning: sku: the registry's SKU and admin user do not affect how it is reached; ignored"], Spec.Messages(result));
    }
}
