using System.Net;
using Sluice.Network.Model;
using Sluice.Network.Routing;
using Sluice.Network.Tags;
using Sluice.Network.Verification;
using static Sluice.Network.Tests.TestSupport.Net;

namespace Sluice.Network.Tests.Routing;

public sealed class RouteSelectionTests
{
    private static NextHopResult Hop(CompiledNetwork network, string subnet, string destination, string vnet = "vnet") =>
        network.NextHop(vnet, subnet, IPAddress.Parse(destination));

    [Fact]
    public void LongestPrefix_UserSlash24_BeatsTheSystemSlash16_OnlyInsideIt()
    {
        var network = Compile(b => b
            .Add(Vnet("vnet", "10.0.0.0/16", Subnet("app", "10.0.1.0/24", routeTable: "rt"), Subnet("dmz", "10.0.100.0/24")))
            .Add(RouteTable("rt", Route("to-nva", "10.0.0.0/24", NextHopType.VirtualAppliance, "10.0.100.4"))));

        var inside = Hop(network, "app", "10.0.0.5");
        var outside = Hop(network, "app", "10.0.1.5");

        Assert.Equal((NextHopType.VirtualAppliance, "10.0.100.4", RouteSource.User), (inside.NextHopType, inside.NextHopIpAddress?.ToString(), inside.Route!.Source));
        Assert.Equal((NextHopType.VnetLocal, "10.0.0.0/16", RouteSource.System), (outside.NextHopType, outside.Route!.AddressPrefix.ToString(), outside.Route.Source));
    }

    [Fact]
    public void EqualPrefixes_UserBeatsBgp_AndBgpBeatsSystem()
    {
        static CompiledNetwork With(bool bgpDefault, bool userDefault) => Compile(b => b
            .Add(Vnet("vnet", "10.0.0.0/16", Subnet("app", "10.0.1.0/24", routeTable: userDefault ? "rt" : null), Subnet("dmz", "10.0.100.0/24")) with
            {
                GatewayPrefixes = bgpDefault ? ["0.0.0.0/0"] : [],
            })
            .Add(RouteTable("rt", Route("default-nva", "0.0.0.0/0", NextHopType.VirtualAppliance, "10.0.100.4"))));

        Assert.Equal((NextHopType.Internet, RouteSource.System), Picked(With(bgpDefault: false, userDefault: false)));
        Assert.Equal((NextHopType.VirtualNetworkGateway, RouteSource.Bgp), Picked(With(bgpDefault: true, userDefault: false)));
        Assert.Equal((NextHopType.VirtualAppliance, RouteSource.User), Picked(With(bgpDefault: true, userDefault: true)));

        static (NextHopType?, RouteSource?) Picked(CompiledNetwork network)
        {
            var hop = Hop(network, "app", "93.184.216.34");
            return (hop.NextHopType, hop.Route?.Source);
        }
    }

    [Fact]
    public void EqualPrefixes_OverriddenRoutesAreListedInvalid()
    {
        var network = Compile(b => b
            .Add(Vnet("vnet", "10.0.0.0/16", Subnet("app", "10.0.1.0/24", routeTable: "rt"), Subnet("dmz", "10.0.100.0/24")))
            .Add(RouteTable("rt", Route("default-gw", "0.0.0.0/0", NextHopType.VirtualNetworkGateway))));

        var routes = network.EffectiveRoutes("vnet", "app").Routes.Where(r => r.AddressPrefix == Sluice.Network.Addressing.IpPrefix.AnyIPv4).ToList();

        Assert.Equal([(RouteSource.System, RouteState.Invalid), (RouteSource.User, RouteState.Active)], routes.Select(r => (r.Source, r.State)));
        Assert.Contains("overridden by user route 0.0.0.0/0 'default-gw'", routes[0].InvalidReason, StringComparison.Ordinal);
    }

    [Fact]
    public void SystemRoutesOfTheNetwork_ArePreferredOverMoreSpecificBgpRoutes()
    {
        var network = Compile(b => b
            .Add(Vnet("vnet", "10.0.0.0/16", Subnet("app", "10.0.1.0/24")) with { GatewayPrefixes = ["10.0.5.0/24", "10.10.0.0/16"] }));

        var insideTheNetwork = Hop(network, "app", "10.0.5.4");
        var onPremises = Hop(network, "app", "10.10.1.1");
        var bgpInside = network.EffectiveRoutes("vnet", "app").Routes.Single(r => r.AddressPrefix.ToString() == "10.0.5.0/24");

        Assert.Equal(NextHopType.VnetLocal, insideTheNetwork.NextHopType);
        Assert.Equal((NextHopType.VirtualNetworkGateway, RouteSource.Bgp), (onPremises.NextHopType, onPremises.Route!.Source));
        Assert.Equal(RouteState.Invalid, bgpInside.State);
    }

    [Theory]
    [InlineData("10.0.0.0/16", "10.200.0.1", NextHopType.None)]
    [InlineData("10.0.0.0/16", "172.20.0.1", NextHopType.None)]
    [InlineData("10.0.0.0/16", "192.168.7.7", NextHopType.None)]
    [InlineData("10.0.0.0/16", "100.64.0.1", NextHopType.None)]
    [InlineData("10.0.0.0/8", "10.200.0.1", NextHopType.VnetLocal)]
    [InlineData("10.0.0.0/7", "10.200.0.1", NextHopType.VnetLocal)]
    [InlineData("10.0.0.0/16", "8.8.8.8", NextHopType.Internet)]
    public void ReservedRanges_AreDroppedUnlessTheAddressSpaceCoversThem(string space, string destination, NextHopType expected)
    {
        var network = Compile(b => b.Add(Vnet("vnet", space, Subnet("app", "10.0.1.0/24"))));

        Assert.Equal(expected, Hop(network, "app", destination).NextHopType);
    }

    [Fact]
    public void ReservedRanges_WithTheAddressSpaceEqualToOne_BecomeAVnetLocalRoute()
    {
        var network = Compile(b => b.Add(Vnet("vnet", "10.0.0.0/8", Subnet("app", "10.0.1.0/24"))));

        var routes = network.EffectiveRoutes("vnet", "app").Routes.Where(r => r.AddressPrefix.ToString() == "10.0.0.0/8").ToList();

        Assert.Equal([NextHopType.VnetLocal], routes.Select(r => r.NextHopType));
    }

    [Fact]
    public void DisabledGatewayRoutePropagation_LeavesOutGatewayRoutes()
    {
        var network = Compile(b => b
            .Add(Vnet("vnet", "10.0.0.0/16", Subnet("app", "10.0.1.0/24", routeTable: "rt"), Subnet("other", "10.0.2.0/24")) with { GatewayPrefixes = ["192.168.10.0/24"] })
            .Add(new RouteTable { Name = "rt", DisableBgpRoutePropagation = true }));

        Assert.Equal(NextHopType.None, Hop(network, "app", "192.168.10.5").NextHopType);
        Assert.Equal(NextHopType.VirtualNetworkGateway, Hop(network, "other", "192.168.10.5").NextHopType);
        Assert.DoesNotContain(network.EffectiveRoutes("vnet", "app").Routes, r => r.Source == RouteSource.Bgp);
    }

    [Fact]
    public void ForcedTunnelling_DefaultRouteToTheGateway_SendsInternetTrafficOnPremises()
    {
        var network = Compile(b => b
            .Add(Vnet("vnet", "10.0.0.0/16", Subnet("app", "10.0.1.0/24", routeTable: "rt")) with { GatewayPrefixes = ["192.168.0.0/16"] })
            .Add(RouteTable("rt", Route("force-tunnel", "0.0.0.0/0", NextHopType.VirtualNetworkGateway)))
            .Add(Nic("vm", "vnet", "app", "10.0.1.4")));

        var verdict = network.Send("vm", "52.1.2.3");

        Assert.Equal((FlowOutcome.LeftNetwork, NextHopType.VirtualNetworkGateway, RouteSource.User), (verdict.Outcome, verdict.Route!.NextHopType, verdict.Route.Source));
        Assert.Null(verdict.Egress);
        Assert.DoesNotContain(network.EffectiveRoutes("vnet", "app").Routes, r => r.NextHopType == NextHopType.None);
    }

    [Fact]
    public void ForcedTunnelling_ToAnAppliance_HandsTrafficToTheAppliance()
    {
        var network = Compile(b => b
            .Add(Vnet("vnet", "10.0.0.0/16", Subnet("app", "10.0.1.0/24", routeTable: "rt"), Subnet("dmz", "10.0.100.0/24")))
            .Add(RouteTable("rt", Route("default-nva", "0.0.0.0/0", NextHopType.VirtualAppliance, "10.0.100.4")))
            .Add(Nic("vm", "vnet", "app", "10.0.1.4"))
            .Add(Nic("firewall", "vnet", "dmz", "10.0.100.4")));

        var verdict = network.Send("vm", "52.1.2.3");

        Assert.Equal((SecurityRuleAccess.Allow, FlowOutcome.ForwardedToAppliance), (verdict.Access, verdict.Outcome));
        Assert.Contains(verdict.Explanation, s => s.Contains("virtual appliance at 10.0.100.4 (interface firewall)", StringComparison.Ordinal));
    }

    [Fact]
    public void ServiceTagRoutes_ExpandToTheTagsPrefixes_ExplicitPrefixesAndRegionalTagsWinTies()
    {
        var tags = ServiceTagSet.Default.With(
        [
            new ServiceTag { Name = "Storage", AddressPrefixes = [Sluice.Network.Addressing.IpPrefix.Parse("13.69.40.0/24"), Sluice.Network.Addressing.IpPrefix.Parse("20.60.0.0/16")] },
            new ServiceTag { Name = "Storage.WestEurope", AddressPrefixes = [Sluice.Network.Addressing.IpPrefix.Parse("13.69.40.0/24")], Region = "westeurope" },
        ]);
        var network = Compile(b => b
            .WithServiceTags(tags)
            .Add(Vnet("vnet", "10.0.0.0/16", Subnet("app", "10.0.1.0/24", routeTable: "rt"), Subnet("dmz", "10.0.100.0/24")))
            .Add(RouteTable(
                "rt",
                Route("storage-global", "Storage", NextHopType.VirtualAppliance, "10.0.100.4"),
                Route("storage-regional", "Storage.WestEurope", NextHopType.VirtualAppliance, "10.0.100.5"),
                Route("explicit", "20.60.0.0/16", NextHopType.Internet))));

        Assert.Equal(("storage-regional", "Storage.WestEurope"), Via(Hop(network, "app", "13.69.40.10")));
        Assert.Equal(("explicit", null), Via(Hop(network, "app", "20.60.1.1")));

        static (string?, string?) Via(NextHopResult hop) => (hop.Route!.Name, hop.Route.ServiceTag);
    }

    [Fact]
    public void Peering_ConnectedBothWays_AddsPeeringRoutes_AndOneSidedPeeringAddsNone()
    {
        var network = Compile(b => b
            .Add(Vnet("hub", "10.0.0.0/16", Subnet("app", "10.0.1.0/24")) with { Peerings = [new Peering { Name = "to-spoke", RemoteVirtualNetwork = "spoke" }, new Peering { Name = "to-lonely", RemoteVirtualNetwork = "lonely" }] })
            .Add(Vnet("spoke", "10.1.0.0/16", Subnet("app", "10.1.1.0/24")) with { Peerings = [new Peering { Name = "to-hub", RemoteVirtualNetwork = "hub" }] })
            .Add(Vnet("lonely", "10.2.0.0/16", Subnet("app", "10.2.1.0/24")))
            .Add(Nic("hub-vm", "hub", "app", "10.0.1.4"))
            .Add(Nic("spoke-vm", "spoke", "app", "10.1.1.4")));

        var toSpoke = network.Send("hub-vm", "10.1.1.4", 22);

        Assert.Equal((NextHopType.VNetPeering, "spoke"), (toSpoke.Route!.NextHopType, toSpoke.Route.Target));
        Assert.Equal((FlowOutcome.Delivered, "spoke-vm"), (toSpoke.Outcome, toSpoke.DestinationResource));
        Assert.Equal(NextHopType.None, Hop(network, "app", "10.2.1.4", "hub").NextHopType);
    }

    [Fact]
    public void UseRemoteGateways_BringsTheHubsOnPremisesRoutesToTheSpoke()
    {
        var network = Compile(b => b
            .Add(Vnet("hub", "10.0.0.0/16", Subnet("app", "10.0.1.0/24")) with
            {
                GatewayPrefixes = ["192.168.0.0/16"],
                Peerings = [new Peering { Name = "to-spoke", RemoteVirtualNetwork = "spoke", AllowGatewayTransit = true }],
            })
            .Add(Vnet("spoke", "10.1.0.0/16", Subnet("app", "10.1.1.0/24")) with
            {
                Peerings = [new Peering { Name = "to-hub", RemoteVirtualNetwork = "hub", UseRemoteGateways = true }],
            }));

        var hop = Hop(network, "app", "192.168.4.4", "spoke");

        Assert.Equal((NextHopType.VirtualNetworkGateway, RouteSource.Bgp), (hop.NextHopType, hop.Route!.Source));
    }

    [Fact]
    public void NoRoute_ForIPv6_FromANetworkWithoutIPv6Space()
    {
        var network = Compile(b => b.Add(Vnet("vnet", "10.0.0.0/16", Subnet("app", "10.0.1.0/24"))));

        var hop = Hop(network, "app", "2001:db8::1");

        Assert.Null(hop.NextHopType);
        Assert.Null(network.EffectiveRoutes("vnet", "app").Lookup(IPAddress.Parse("2001:db8::1")));
    }
}
