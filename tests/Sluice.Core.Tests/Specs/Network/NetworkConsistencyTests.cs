using Sluice.Core.Diagnostics;
using Sluice.Core.Specs;
using Sluice.Core.Specs.Network;
using Sluice.Core.Tests.TestSupport;

namespace Sluice.Core.Tests.Specs.Network;

/// <summary>Checks across resources, over an in-memory workspace.</summary>
public sealed class NetworkConsistencyTests
{
    private static readonly VirtualNetworkSpec Vnet = Spec.Valid<VirtualNetworkSpec>(
        "type: virtual_network\nname: vnet1\naddress_space: [10.0.0.0/16]\nsubnets:\n  - name: compute\n    address_prefix: 10.0.1.0/29\n    service_endpoints: [Microsoft.Storage]\n");

    [Fact]
    public void Check_NicInAMissingNetwork_IsAMissingReference()
    {
        var nic = new NetworkInterfaceSpec { Name = "nic", Subnet = new SubnetReference("nowhere", "compute") };

        var problem = Assert.Single(NetworkConsistency.Check(nic, new Lookup()));

        Assert.True(problem.IsMissing);
        Assert.Equal("subnet: virtual network 'nowhere' does not exist in the workspace; create it first ('sluice network vnet create')", problem.ToString());
    }

    [Fact]
    public void Check_AddressTakenByAnotherInterface_IsReported()
    {
        var other = new NetworkInterfaceSpec { Name = "other", Subnet = new SubnetReference("vnet1", "compute"), PrivateIpAddress = "10.0.1.4" };
        var nic = other with { Name = "nic" };

        var problem = Assert.Single(NetworkConsistency.Check(nic, new Lookup(Vnet, other)));

        Assert.Equal("private_ip_address: 10.0.1.4 is already used by network interface 'other' in virtual network 'vnet1'", problem.ToString());
    }

    [Fact]
    public void FreeAddress_SkipsReservedAndUsedOnes_AndRunsOut()
    {
        var subnet = Vnet.Subnets[0];

        Assert.Equal("10.0.1.4", NetworkConsistency.FreeAddress(subnet, new Dictionary<string, string>()));
        Assert.Equal("10.0.1.6", NetworkConsistency.FreeAddress(subnet, new Dictionary<string, string> { ["10.0.1.4"] = "a", ["10.0.1.5"] = "b" }));
        Assert.Null(NetworkConsistency.FreeAddress(subnet, new Dictionary<string, string> { ["10.0.1.4"] = "a", ["10.0.1.5"] = "b", ["10.0.1.6"] = "c" }));
    }

    [Fact]
    public void Check_PeeringWithOverlappingOrMissingRemote_IsReported()
    {
        var hub = Spec.Valid<VirtualNetworkSpec>("type: virtual_network\nname: hub\naddress_space: [10.0.128.0/17]\n");
        var spoke = Vnet with { Peerings = [new VirtualNetworkPeeringSpec { Name = "to-hub", RemoteVirtualNetwork = "hub", UseRemoteGateways = true }] };

        var overlap = NetworkConsistency.Check(spoke, new Lookup(hub, spoke));
        var missing = Assert.Single(NetworkConsistency.Check(spoke, new Lookup(spoke)));

        Assert.Equal(["peerings[0].remote_virtual_network: virtual network 'hub' has address space 10.0.128.0/17, which overlaps this network's 10.0.0.0/16; Azure cannot peer overlapping networks", "peerings[0].use_remote_gateways: virtual network 'hub' has no gateway to use; give it a gateway or set use_remote_gateways: false"], overlap.Select(p => p.ToString()));
        Assert.Equal((Severity.Warning, true), (missing.Severity, missing.IsMissing));
        Assert.Equal("Disconnected", NetworkConsistency.PeeringState(spoke, spoke.Peerings[0], new Lookup(spoke)));
        Assert.Equal("Initiated", NetworkConsistency.PeeringState(spoke, spoke.Peerings[0], new Lookup(spoke, hub)));
        var back = hub with { Peerings = [new VirtualNetworkPeeringSpec { Name = "to-spoke", RemoteVirtualNetwork = "vnet1" }] };
        Assert.Equal("Connected", NetworkConsistency.PeeringState(spoke, spoke.Peerings[0], new Lookup(spoke, back)));
    }

    [Fact]
    public void Check_UnknownServiceTag_SuggestsTheClosestKnownOne()
    {
        var nsg = Spec.Valid<NetworkSecurityGroupSpec>(
            "type: network_security_group\nname: nsg\nsecurity_rules:\n  - {name: r, priority: 100, direction: Outbound, access: Allow, protocol: Tcp, source_address_prefix: VirtualNetwork, destination_address_prefix: Storage.WestEurop, destination_port_range: \"443\"}\n");

        var problem = Assert.Single(NetworkConsistency.Check(nsg, new Lookup { Tags = ["Storage.WestEurope", "AzureCloud"] }));

        Assert.Equal("security_rules[0].destination_address_prefix: service tag 'Storage.WestEurop' is not defined: it is not built in (VirtualNetwork, Internet, AzureLoadBalancer, SluiceControlPlane), not a service_tag resource and not in an imported set (did you mean 'Storage.WestEurope'?)", problem.ToString());
    }

    [Fact]
    public void References_OfEachKind_NameTheirTargets()
    {
        var compute = Spec.Valid<ComputeSpec>("name: cpu\ntype: amlcompute\nnetwork_settings:\n  vnet_name: vnet1\n  subnet: compute\n");
        var workspace = Spec.Valid<WorkspaceSpec>("name: ws1\nstorage_account: mystorage\nkey_vault: kv1\n", DocumentKind.Workspace);

        Assert.Equal([new NetworkReference(ResourceKind.VirtualNetwork, "vnet1", "network_settings.subnet", "compute")], NetworkReferences.Of(compute));
        Assert.Equal(["storage account 'mystorage'", "secret store 'kv1'"], NetworkReferences.Of(workspace).Select(r => r.Describe()));
    }

    private sealed class Lookup(params ResourceSpec[] specs) : INetworkLookup
    {
        public IReadOnlyList<string> Tags { get; init; } = [];

        public ResourceSpec? Find(ResourceKind kind, string name) => specs.FirstOrDefault(s => s.Kind == kind && s.Name == name);

        public IEnumerable<ResourceSpec> All(ResourceKind kind) => specs.Where(s => s.Kind == kind);

        public bool? ServiceTagExists(string name) => Tags.Contains(name, StringComparer.OrdinalIgnoreCase);

        public IEnumerable<string> ServiceTagNames() => Tags;
    }
}
