using Sluice.Core.Specs;
using Sluice.Core.Specs.Network;
using Sluice.Core.Tests.TestSupport;

namespace Sluice.Core.Tests.Specs.Network;

/// <summary>A network written as one file of several documents: each read on its own, then checked against the others.</summary>
public sealed class MultiDocumentTests
{
    private const string Network = """
        type: virtual_network
        name: vnet1
        address_space: [10.0.0.0/16]
        subnets:
          - name: compute
            address_prefix: 10.0.1.0/24
            network_security_group: nsg-compute
          - name: endpoints
            address_prefix: 10.0.2.0/24
        ---
        type: network_security_group
        name: nsg-compute
        security_rules:
          - name: allow-https
            priority: 100
            direction: Inbound
            access: Allow
            protocol: Tcp
            source_address_prefix: VirtualNetwork
            destination_address_prefix: "*"
            destination_port_range: "443"
        ---
        type: network_interface
        name: vm1-nic
        subnet: vnet1/compute
        private_ip_address: 10.0.1.4
        ---
        type: storage_account
        name: mystorage
        network_rule_set:
          default_action: Deny
          virtual_network_rules: [vnet1/compute]
        """;

    [Fact]
    public void ReadAll_GoodNetwork_ReadsEveryDocumentAndWarnsAboutAMissingServiceEndpoint()
    {
        var results = SpecReader.ReadAll(Network, Spec.Source, null, Spec.WithoutLocalPaths);

        Assert.Equal([DocumentKind.VirtualNetwork, DocumentKind.NetworkSecurityGroup, DocumentKind.NetworkInterface, DocumentKind.StorageAccount], results.Select(r => r.Kind));
        Assert.All(results, r => Assert.True(r.IsValid, string.Join("\n", r.Diagnostics)));
        Assert.Equal([1, 11, 23, 28], results.Select(r => (int)r.Line));
        Assert.Equal([1, 2, 3, 4], results.Select(r => r.Document));
        Assert.Equal(
            ["spec.yml:32:27: warning: network_rule_set.virtual_network_rules[0]: subnet 'vnet1/compute' has no Microsoft.Storage service endpoint, so its traffic reaches the storage account from a public address and this rule never matches it; add service_endpoints: [Microsoft.Storage] to the subnet"],
            Spec.Messages(results[3]));
    }

    [Fact]
    public void ReadAll_WithInconsistentDocuments_ReportsAtTheReferringKey()
    {
        var text = Network
            .Replace("private_ip_address: 10.0.1.4", "private_ip_address: 10.0.2.4", StringComparison.Ordinal)
            .Replace("virtual_network_rules: [vnet1/compute]", "virtual_network_rules: [vnet1/nodes]", StringComparison.Ordinal)
            + "\n---\ntype: network_interface\nname: vm2-nic\nsubnet: vnet1/endpoints\nprivate_ip_address: 10.0.2.3\n";

        var results = SpecReader.ReadAll(text, Spec.Source, null, Spec.WithoutLocalPaths);

        Assert.Equal(["spec.yml:26:21: private_ip_address: 10.0.2.4 is not in subnet 'vnet1/compute' (10.0.1.0/24)"], Spec.Messages(results[2]));
        Assert.Equal(["spec.yml:32:27: network_rule_set.virtual_network_rules[0]: virtual network 'vnet1' has no subnet 'nodes' (its subnets: compute, endpoints)"], Spec.Messages(results[3]));
        Assert.Equal(["spec.yml:37:21: private_ip_address: 10.0.2.3 is reserved: Azure keeps the first four addresses and the last one of every subnet (10.0.2.0/24)"], Spec.Messages(results[4]));
        Assert.All(results.Take(2), r => Assert.True(r.IsValid));
    }

    [Fact]
    public void ReadAll_WithReferencesOutsideTheFile_LeavesThemToTheServer()
    {
        var results = SpecReader.ReadAll(
            "type: network_interface\nname: nic\nsubnet: elsewhere/compute\nnetwork_security_group: nsg-x\n---\ntype: application_security_group\nname: asg1\n",
            Spec.Source,
            null,
            Spec.WithoutLocalPaths);

        Assert.All(results, r => Assert.True(r.IsValid && r.Diagnostics.Count == 0, string.Join("\n", r.Diagnostics)));
    }

    [Fact]
    public void ReadAll_WithABadDocument_ReportsItAlone()
    {
        var results = SpecReader.ReadAll("type: application_security_group\nname: asg1\n---\n- a list\n---\ntype: route_table\nname: rt\nrouts: []\n", Spec.Source, null, Spec.WithoutLocalPaths);

        Assert.True(results[0].IsValid);
        Assert.Equal(["spec.yml:4:1: expected a mapping of keys such as 'name:' at the top level of this document"], Spec.Messages(results[1]));
        Assert.Equal(["spec.yml:8:1: unknown key 'routs'; did you mean 'routes'?"], Spec.Messages(results[2]));
    }

    [Fact]
    public void ReadSelected_PicksTheDocumentOfTheKindAndName()
    {
        var text = Network + "\n---\ntype: network_interface\nname: vm2-nic\nsubnet: vnet1/compute\n";

        var nsg = SpecReader.ReadSelected(text, Spec.Source, null, Spec.WithoutLocalPaths, DocumentKind.NetworkSecurityGroup, null);
        var nic = SpecReader.ReadSelected(text, Spec.Source, null, Spec.WithoutLocalPaths, DocumentKind.NetworkInterface, "vm2-nic");
        var ambiguous = SpecReader.ReadSelected(text, Spec.Source, null, Spec.WithoutLocalPaths, DocumentKind.NetworkInterface, null);
        var none = SpecReader.ReadSelected(text, Spec.Source, null, Spec.WithoutLocalPaths, DocumentKind.RouteTable, null);

        Assert.Equal("nsg-compute", Spec.Valid<NetworkSecurityGroupSpec>(nsg).Name);
        Assert.Equal("vm2-nic", Spec.Valid<NetworkInterfaceSpec>(nic).Name);
        Spec.SingleError(ambiguous, "spec.yml: the file describes 2 of kind network interface (vm1-nic, vm2-nic); choose one with -n");
        Spec.SingleError(none, "spec.yml: none of the file's 5 documents describes a route table");
    }

    [Fact]
    public void Read_OfSeveralDocuments_StillAsksForOneResourcePerFile()
    {
        Spec.SingleError(Spec.Read(Network), "spec.yml:11:1: holds more than one YAML document ('---'); put each resource in its own file");
    }
}
