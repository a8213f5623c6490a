using Sluice.Core.Specs;
using Sluice.Core.Specs.Network;
using Sluice.Core.Tests.TestSupport;

namespace Sluice.Core.Tests.Specs.Network;

public sealed class VirtualNetworkSpecTests
{
    [Fact]
    public void VirtualNetwork_WithEveryField_ReadsThemAllInCanonicalForm()
    {
        var result = Spec.Read(
            """
            type: virtual_network
            name: vnet1
            location: westeurope
            address_space: [10.0.0.0/16, "FD00:DB8:0:0::/48"]
            dns_servers: [10.0.0.4]
            subnets:
              - name: compute
                address_prefix: 10.0.1.0/24
                network_security_group: nsg-compute
                route_table: rt-compute
                nat_gateway: nat1
                delegations: [Microsoft.Batch/batchAccounts]
                service_endpoints: [microsoft.storage, Microsoft.KeyVault]
                private_endpoint_network_policies: networksecuritygroupenabled
              - name: dual
                address_prefixes: [10.0.2.0/24, "fd00:db8:0:2::/64"]
            peerings:
              - name: to-hub
                remote_virtual_network: hub
                allow_forwarded_traffic: true
                use_remote_gateways: true
            """);

        var vnet = Spec.Valid<VirtualNetworkSpec>(result);
        Assert.Equal(DocumentKind.VirtualNetwork, result.Kind);
        Assert.Equal("westeurope", vnet.Location);
        Assert.Equal(["10.0.0.0/16", "fd00:db8::/48"], vnet.AddressSpace);
        Assert.Equal(["10.0.0.4"], vnet.DnsServers);
        var compute = vnet.Subnets[0];
        Assert.Equal(["10.0.1.0/24"], compute.AddressPrefixes);
        Assert.Equal(("nsg-compute", "rt-compute", "nat1"), (compute.NetworkSecurityGroup, compute.RouteTable, compute.NatGateway));
        Assert.Equal(["Microsoft.Batch/batchAccounts"], compute.Delegations);
        Assert.Equal(["Microsoft.Storage", "Microsoft.KeyVault"], compute.ServiceEndpoints);
        Assert.Equal(PrivateEndpointNetworkPolicies.NetworkSecurityGroupEnabled, compute.PrivateEndpointNetworkPolicies);
        Assert.Equal(["10.0.2.0/24", "fd00:db8:0:2::/64"], vnet.Subnets[1].AddressPrefixes);
        Assert.Equal(PrivateEndpointNetworkPolicies.Disabled, vnet.Subnets[1].PrivateEndpointNetworkPolicies);
        var peering = Assert.Single(vnet.Peerings);
        Assert.Equal(("to-hub", "hub", true, true, false, true), (peering.Name, peering.RemoteVirtualNetwork, peering.AllowVirtualNetworkAccess, peering.AllowForwardedTraffic, peering.AllowGatewayTransit, peering.UseRemoteGateways));
        Assert.Null(vnet.Gateway);
        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public void VirtualNetwork_Encoded_WritesTypeAndAzureSpellings()
    {
        var vnet = Spec.Valid<VirtualNetworkSpec>("type: virtual_network\nname: vnet1\naddress_space: [10.0.0.0/16]\nsubnets:\n  - name: a\n    address_prefix: 10.0.0.0/24\n");

        Assert.Equal(
            """{"type":"virtual_network","name":"vnet1","tags":{},"address_space":["10.0.0.0/16"],"dns_servers":[],"subnets":[{"name":"a","address_prefixes":["10.0.0.0/24"],"delegations":[],"service_endpoints":[],"private_endpoint_network_policies":"Disabled"}],"peerings":[]}""",
            Core.Serialization.SpecCodec.Encode(vnet));
    }

    [Fact]
    public void VirtualNetwork_WithGateway_ReadsItsPrefixes()
    {
        var vnet = Spec.Valid<VirtualNetworkSpec>("type: virtual_network\nname: hub\naddress_space: [10.1.0.0/16]\ngateway:\n  gateway_type: expressroute\n  address_prefixes: [192.168.0.0/16]\n");

        Assert.Equal(VirtualNetworkGatewayType.ExpressRoute, vnet.Gateway?.GatewayType);
        Assert.Equal(["192.168.0.0/16"], vnet.Gateway?.AddressPrefixes);
    }

    [Fact]
    public void VirtualNetwork_WithoutAddressSpace_AsksForIt()
    {
        var result = Spec.Read("type: virtual_network\nname: vnet1\n");

        Spec.SingleError(result, "spec.yml:1:1: missing required key 'address_space'; the network's CIDR blocks, e.g. [10.0.0.0/16]");
    }

    [Fact]
    public void VirtualNetwork_WithBadCidrs_ReportsEachWithItsPosition()
    {
        var result = Spec.Read(
            """
            type: virtual_network
            name: vnet1
            address_space: [10.0.0.1/16, 10.300.0.0/16, 10.2.0.0/33, 10.4, "fd00::/200"]
            """);

        Spec.Errors(
            result,
            "spec.yml:3:17: address_space[0]: '10.0.0.1/16' has bits set after the first 16; did you mean 10.0.0.0/16?",
            "spec.yml:3:30: address_space[1]: '10.300.0.0' is not an IP address; write four numbers from 0 to 255, e.g. 10.0.0.4",
            "spec.yml:3:45: address_space[2]: '10.2.0.0/33' has an invalid prefix length; expected a number from 0 to 32",
            "spec.yml:3:58: address_space[3]: '10.4' is not a CIDR block; write <address>/<prefix length>, e.g. 10.0.0.0/16",
            "spec.yml:3:64: address_space[4]: 'fd00::/200' has an invalid prefix length; expected a number from 0 to 128");
    }

    [Fact]
    public void VirtualNetwork_WithOverlappingAddressSpace_ReportsTheLaterBlock()
    {
        var result = Spec.Read("type: virtual_network\nname: vnet1\naddress_space: [10.0.0.0/16, 10.0.128.0/17]\n");

        Spec.SingleError(result, "spec.yml:3:30: address_space[1]: 10.0.128.0/17 overlaps 10.0.0.0/16 (address_space[0]); the blocks of an address space must not overlap");
    }

    [Fact]
    public void Subnets_OutsideTheSpaceOverlappingOrTooSmall_AreReported()
    {
        var result = Spec.Read(
            """
            type: virtual_network
            name: vnet1
            address_space: [10.0.0.0/16]
            subnets:
              - name: a
                address_prefix: 10.0.1.0/24
              - name: b
                address_prefix: 10.0.1.128/25
              - name: c
                address_prefix: 10.1.0.0/24
              - name: d
                address_prefix: 10.0.2.0/30
              - name: a
                address_prefix: 10.0.3.0/24
            """);

        Spec.Errors(
            result,
            "spec.yml:8:21: subnets[1].address_prefix: 10.0.1.128/25 overlaps 10.0.1.0/24 of subnet 'a'; subnets must not overlap",
            "spec.yml:10:21: subnets[2].address_prefix: 10.1.0.0/24 is not inside the address space (10.0.0.0/16)",
            "spec.yml:12:21: subnets[3].address_prefix: /30 is smaller than /29, the smallest subnet Azure allows (it reserves five addresses in each)",
            "spec.yml:13:11: subnets[4].name: another subnet is already named 'a' (subnets[0]); names must be unique");
    }

    [Fact]
    public void Subnet_WithBothPrefixKeysOrNone_IsReported()
    {
        var result = Spec.Read(
            """
            type: virtual_network
            name: vnet1
            address_space: [10.0.0.0/16]
            subnets:
              - name: a
                address_prefix: 10.0.1.0/24
                address_prefixes: [10.0.2.0/24]
              - name: b
            """);

        Spec.Errors(
            result,
            "spec.yml:7:5: subnets[0].address_prefixes: give address_prefix or address_prefixes, not both",
            "spec.yml:8:5: missing required key 'subnets[1].address_prefix'; a CIDR block inside the address space (or address_prefixes: a list of them)");
    }

    [Fact]
    public void Subnet_WithIpv6PrefixNotSlash64_IsReported()
    {
        var result = Spec.Read("type: virtual_network\nname: v\naddress_space: [\"fd00:db8::/48\"]\nsubnets:\n  - name: a\n    address_prefix: \"fd00:db8::/56\"\n");

        Spec.SingleError(result, "spec.yml:6:21: subnets[0].address_prefix: an IPv6 subnet must be a /64, as in Azure (got /56)");
    }

    [Fact]
    public void Subnet_WithMisspeltServiceEndpointAndPolicy_SuggestsTheRightOnes()
    {
        var result = Spec.Read(
            """
            type: virtual_network
            name: vnet1
            address_space: [10.0.0.0/16]
            subnets:
              - name: a
                address_prefix: 10.0.1.0/24
                service_endpoints: [Microsoft.Storag]
                private_endpoint_network_policies: Disable
                delegation: [Microsoft.Batch/batchAccounts]
            """);

        Spec.Errors(
            result,
            "spec.yml:7:25: subnets[0].service_endpoints[0]: 'Microsoft.Storag' is not an Azure service endpoint; expected one of: Microsoft.AzureActiveDirectory, Microsoft.AzureCosmosDB, Microsoft.CognitiveServices, Microsoft.ContainerRegistry, Microsoft.EventHub, Microsoft.KeyVault, Microsoft.ServiceBus, Microsoft.Sql, Microsoft.Storage, Microsoft.Storage.Global, Microsoft.Web (did you mean 'Microsoft.Storage'?)",
            "spec.yml:8:40: subnets[0].private_endpoint_network_policies: 'Disable' is not allowed; expected one of: Disabled, Enabled, NetworkSecurityGroupEnabled, RouteTableEnabled (did you mean 'Disabled'?)",
            "spec.yml:9:5: unknown key 'delegation' in 'subnets[0]'; did you mean 'delegations'?");
    }

    [Fact]
    public void Peerings_WithSelfTransitConflictAndDuplicateRemote_AreReported()
    {
        var result = Spec.Read(
            """
            type: virtual_network
            name: vnet1
            address_space: [10.0.0.0/16]
            gateway:
              address_prefixes: [10.0.128.0/24]
            peerings:
              - name: self
                remote_virtual_network: vnet1
              - name: to-hub
                remote_virtual_network: hub
                allow_gateway_transit: true
                use_remote_gateways: true
              - name: again
                remote_virtual_network: hub
            """);

        Spec.Errors(
            result,
            "spec.yml:5:22: gateway.address_prefixes[0]: 10.0.128.0/24 overlaps the network's own address space (10.0.0.0/16); on-premises prefixes must lie outside it",
            "spec.yml:8:29: peerings[0].remote_virtual_network: a virtual network cannot peer with itself",
            "spec.yml:12:26: peerings[1].use_remote_gateways: cannot be true together with allow_gateway_transit: a peering either offers this network's gateway or uses the remote one",
            "spec.yml:14:29: peerings[2].remote_virtual_network: 'hub' is already peered by peerings[1]; a network peers with another at most once");
    }

    [Fact]
    public void Peering_UsingRemoteGatewaysWithOwnGateway_IsReported()
    {
        var result = Spec.Read(
            """
            type: virtual_network
            name: spoke
            address_space: [10.2.0.0/16]
            gateway:
              address_prefixes: [192.168.0.0/16]
            peerings:
              - name: to-hub
                remote_virtual_network: hub
                use_remote_gateways: true
            """);

        Spec.SingleError(result, "spec.yml:9:26: peerings[0].use_remote_gateways: this network has its own gateway; Azure does not let it use the remote network's gateway too");
    }

    [Fact]
    public void VirtualNetwork_WithWrongType_IsReadAsTheKindItNames()
    {
        var result = Spec.Read("type: virtual_network\nname: vnet1\naddress_space: [10.0.0.0/16]\n", DocumentKind.NetworkSecurityGroup);

        Spec.SingleError(result, "spec.yml:1:1: this document describes a virtual network (from 'type: virtual_network'), not a network security group; use 'sluice network vnet create -f' for it");
    }

    [Fact]
    public void VirtualNetwork_WithoutType_IsReadWhenTheCommandSaysSo()
    {
        var vnet = Spec.Valid<VirtualNetworkSpec>("name: vnet1\naddress_space: 10.0.0.0/16\n", DocumentKind.VirtualNetwork);

        Assert.Equal(["10.0.0.0/16"], vnet.AddressSpace);
    }
}
