using Sluice.Core.Specs.Network;
using Sluice.Core.Tests.TestSupport;

namespace Sluice.Core.Tests.Specs.Network;

public sealed class RouteTableSpecTests
{
    [Fact]
    public void RouteTable_WithRoutes_ReadsThem()
    {
        var table = Spec.Valid<RouteTableSpec>(
            """
            type: route_table
            name: rt-compute
            disable_bgp_route_propagation: true
            routes:
              - name: to-firewall
                address_prefix: 0.0.0.0/0
                next_hop_type: virtualappliance
                next_hop_ip_address: 10.0.0.4
              - name: storage-direct
                address_prefix: Storage.WestEurope
                next_hop_type: Internet
              - name: blackhole
                address_prefix: 192.0.2.0/24
                next_hop_type: None
            """);

        Assert.True(table.DisableBgpRoutePropagation);
        Assert.Equal(("0.0.0.0/0", NextHopType.VirtualAppliance, "10.0.0.4"), (table.Routes[0].AddressPrefix, table.Routes[0].NextHopType, table.Routes[0].NextHopIpAddress));
        Assert.Equal(("Storage.WestEurope", NextHopType.Internet, (string?)null), (table.Routes[1].AddressPrefix, table.Routes[1].NextHopType, table.Routes[1].NextHopIpAddress));
        Assert.Equal(NextHopType.None, table.Routes[2].NextHopType);
        Assert.Contains("\"next_hop_type\":\"VirtualAppliance\"", Core.Serialization.SpecCodec.Encode(table), StringComparison.Ordinal);
    }

    [Fact]
    public void Routes_WithHopAddressRules_AreChecked()
    {
        var result = Spec.Read(
            """
            type: route_table
            name: rt
            routes:
              - name: a
                address_prefix: 0.0.0.0/0
                next_hop_type: VirtualAppliance
              - name: b
                address_prefix: 10.0.0.0/8
                next_hop_type: Internet
                next_hop_ip_address: 10.0.0.4
              - name: c
                address_prefix: 0.0.0.0/0
                next_hop_type: VnetLocal
            """);

        Spec.Errors(
            result,
            "spec.yml:4:5: missing required key 'routes[0].next_hop_ip_address'; the appliance's private address, e.g. a firewall at 10.0.0.4",
            "spec.yml:10:5: routes[1].next_hop_ip_address: only a VirtualAppliance hop has an address; remove it or set next_hop_type: VirtualAppliance",
            "spec.yml:12:21: routes[2].address_prefix: 0.0.0.0/0 already has a route (routes[0]); a route table holds one route per prefix");
    }

    [Fact]
    public void Routes_WithAnyOrSingleAddressOrUnknownHop_AreReported()
    {
        var result = Spec.Read(
            """
            type: route_table
            name: rt
            routes:
              - {name: a, address_prefix: "*", next_hop_type: Internet}
              - {name: b, address_prefix: 10.0.0.4, next_hop_type: Internet}
              - {name: c, address_prefix: 10.1.0.0/16, next_hop_type: VirtualApliance, next_hop_ip_address: 10.0.0.4}
            """);

        Spec.Errors(
            result,
            "spec.yml:4:31: routes[0].address_prefix: '*' is not a route prefix; write 0.0.0.0/0 for every IPv4 address",
            "spec.yml:5:31: routes[1].address_prefix: a route needs a CIDR block; did you mean 10.0.0.4/32?",
            "spec.yml:6:59: routes[2].next_hop_type: 'VirtualApliance' is not allowed; expected one of: VirtualNetworkGateway, VnetLocal, Internet, VirtualAppliance, None (did you mean 'VirtualAppliance'?)");
    }
}
