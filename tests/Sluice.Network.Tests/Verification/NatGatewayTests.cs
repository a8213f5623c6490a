using System.Net;
using Sluice.Network.Model;
using Sluice.Network.Verification;
using static Sluice.Network.Tests.TestSupport.Net;

namespace Sluice.Network.Tests.Verification;

/// <summary>Outbound precedence: appliance or gateway routes, then the NAT gateway, then instance public IPs, then default outbound access.</summary>
public sealed class NatGatewayTests
{
    private static CompiledNetwork Network(Route? defaultRoute = null, bool nat = true, string? publicIp = "52.10.0.4", bool defaultOutbound = true) => Compile(b => b
        .Add(Vnet("vnet", "10.0.0.0/16",
            Subnet("nodes", "10.0.1.0/24", routeTable: defaultRoute is null ? null : "rt", nat: nat ? "nat" : null) with { DefaultOutboundAccess = defaultOutbound, ServiceEndpoints = ["Microsoft.Storage"] },
            Subnet("dmz", "10.0.100.0/24")) with { GatewayPrefixes = ["192.168.0.0/16"] })
        .WithServiceTags(Sluice.Network.Tags.ServiceTagSet.Default.With([new Sluice.Network.Tags.ServiceTag { Name = "Storage", AddressPrefixes = [Sluice.Network.Addressing.IpPrefix.Parse("20.60.0.0/16")] }]))
        .Add(RouteTable("rt", defaultRoute is null ? [] : [defaultRoute]))
        .Add(new NatGateway { Name = "nat", PublicIpAddresses = ["52.20.0.1", "52.20.0.2"] })
        .Add(Nic("node", "vnet", "nodes", "10.0.1.4") with { PublicIpAddress = publicIp }));

    [Fact]
    public void NatGateway_TakesPrecedenceOverTheInstancePublicIp()
    {
        var verdict = Network().Send("node", "93.184.216.34");

        Assert.Equal((FlowOutcome.LeftNetwork, EgressMethod.NatGateway, "nat"), (verdict.Outcome, verdict.Egress, verdict.NatGateway));
        Assert.Contains(verdict.Explanation, s => s.Contains("takes precedence over instance-level public IPs", StringComparison.Ordinal));
    }

    [Fact]
    public void WithoutNatGateway_TheInstancePublicIpIsUsed_ThenDefaultOutboundAccess()
    {
        Assert.Equal(EgressMethod.InstancePublicIp, Network(nat: false).Send("node", "93.184.216.34").Egress);
        Assert.Equal(EgressMethod.DefaultOutboundAccess, Network(nat: false, publicIp: null).Send("node", "93.184.216.34").Egress);
    }

    [Fact]
    public void ApplianceDefaultRoute_TakesPrecedenceOverTheNatGateway()
    {
        var verdict = Network(Route("default-nva", "0.0.0.0/0", NextHopType.VirtualAppliance, "10.0.100.4")).Send("node", "93.184.216.34");

        Assert.Equal((FlowOutcome.ForwardedToAppliance, (EgressMethod?)null, (string?)null), (verdict.Outcome, verdict.Egress, verdict.NatGateway));
    }

    [Fact]
    public void GatewayDefaultRoute_TakesPrecedenceOverTheNatGateway()
    {
        var verdict = Network(Route("force-tunnel", "0.0.0.0/0", NextHopType.VirtualNetworkGateway)).Send("node", "93.184.216.34");

        Assert.Equal((NextHopType.VirtualNetworkGateway, (EgressMethod?)null), (verdict.Route!.NextHopType, verdict.Egress));
    }

    [Fact]
    public void UserRouteToTheInternet_StillLeavesThroughTheNatGateway()
    {
        var verdict = Network(Route("default-internet", "0.0.0.0/0", NextHopType.Internet)).Send("node", "93.184.216.34");

        Assert.Equal((RouteSourceOf(verdict), EgressMethod.NatGateway), (Sluice.Network.Routing.RouteSource.User, verdict.Egress));
    }

    [Fact]
    public void NatGateway_CarriesOnlyTcpAndUdp()
    {
        var verdict = Network().Send("node", "93.184.216.34", 0, FlowProtocol.Icmp);

        Assert.Equal((SecurityRuleAccess.Deny, FlowOutcome.NoOutboundConnectivity), (verdict.Access, verdict.Outcome));
    }

    [Fact]
    public void ServiceEndpointTraffic_DoesNotUseTheNatGateway()
    {
        var verdict = Network().Send("node", "20.60.1.1");

        Assert.Equal((NextHopType.VirtualNetworkServiceEndpoint, (EgressMethod?)null), (verdict.Route!.NextHopType, verdict.Egress));
    }

    [Fact]
    public void PrivateSubnet_WithoutNatOrPublicIp_HasNoWayOut_ButANatGatewayGivesOne()
    {
        Assert.Equal(FlowOutcome.NoOutboundConnectivity, Network(nat: false, publicIp: null, defaultOutbound: false).Send("node", "93.184.216.34").Outcome);
        Assert.Equal(EgressMethod.NatGateway, Network(nat: true, publicIp: null, defaultOutbound: false).Send("node", "93.184.216.34").Egress);
    }

    [Fact]
    public void NextHop_MentionsTheNatGatewayForInternetRoutes() =>
        Assert.Contains(Network().NextHop("node", IPAddress.Parse("93.184.216.34")).Explanation, s => s.Contains("NAT gateway nat", StringComparison.Ordinal));

    private static Sluice.Network.Routing.RouteSource RouteSourceOf(FlowVerdict verdict) => verdict.Route!.Source;
}
