using System.Net;
using Sluice.Network.Model;
using Sluice.Network.Tests.TestSupport;
using Sluice.Network.Verification;
using static Sluice.Network.Tests.TestSupport.Net;

namespace Sluice.Network.Tests.Verification;

public sealed class IPv6Tests
{
    private static CompiledNetwork DualStack(params SecurityRule[] rules) => Compile(b => b
        .Add(Vnet("vnet", "10.0.0.0/16,fd00:1::/48",
            Subnet("web", "10.0.1.0/24,fd00:1:0:1::/64", nsg: "nsg"),
            Subnet("app", "10.0.2.0/24,fd00:1:0:2::/64"),
            Subnet("dmz", "10.0.100.0/24,fd00:1:0:100::/64", routeTable: "rt")))
        .Add(Nsg("nsg", rules))
        .Add(RouteTable("rt", Route("v6-to-nva", "2001:db8:5::/48", NextHopType.VirtualAppliance, "fd00:1:0:100::4")))
        .Add(Nic("web-vm", "vnet", "web", "10.0.1.4") with { SecondaryPrivateIpAddresses = ["fd00:1:0:1::4"], PublicIpAddress = "2603:1020:200::4" })
        .Add(Nic("app-vm", "vnet", "app", "10.0.2.4") with { SecondaryPrivateIpAddresses = ["fd00:1:0:2::4"] }));

    [Fact]
    public void VirtualNetworkTag_CoversTheIPv6AddressSpace()
    {
        var verdict = DualStack().Send("app-vm", "fd00:1:0:1::4", 8080);

        Assert.Equal((SecurityRuleAccess.Allow, "AllowVnetInBound", "web-vm"), (verdict.Access, verdict.DecidingRule!.RuleName, verdict.DestinationResource));
    }

    [Fact]
    public void Ipv4AnyPrefix_DoesNotMatchIPv6_ButStarDoes()
    {
        var network = DualStack(
            Rule.Deny("deny-v4-any", 100, src: "0.0.0.0/0", dstPorts: "22"),
            Rule.Deny("deny-star", 110, src: "*", dstPorts: "23"));

        Assert.Equal("AllowVnetInBound", network.Send("app-vm", "fd00:1:0:1::4", 22).DecidingRule!.RuleName);
        Assert.Equal("deny-v4-any", network.Send("app-vm", "10.0.1.4", 22).DecidingRule!.RuleName);
        Assert.Equal("deny-star", network.Send("app-vm", "fd00:1:0:1::4", 23).DecidingRule!.RuleName);
    }

    [Fact]
    public void Ipv6Prefixes_InRules_MatchIPv6Flows()
    {
        var network = DualStack(Rule.Allow("partner-v6", 100, src: "2001:db8:77::/48", dstPorts: "443", protocol: SecurityRuleProtocol.Tcp));

        Assert.Equal(SecurityRuleAccess.Allow, network.Verify(new FlowRequest { SourceAddress = IPAddress.Parse("2001:db8:77::9"), DestinationAddress = IPAddress.Parse("fd00:1:0:1::4"), DestinationPort = 443 }).Access);
        Assert.Equal(SecurityRuleAccess.Deny, network.Verify(new FlowRequest { SourceAddress = IPAddress.Parse("2001:db8:78::9"), DestinationAddress = IPAddress.Parse("fd00:1:0:1::4"), DestinationPort = 443 }).Access);
    }

    [Fact]
    public void InternetTraffic_OverIPv6_UsesTheDefaultRouteAndTheInstanceIPv6Address()
    {
        var network = DualStack();

        var fromWeb = network.Send("web-vm", "2603:1030::1");
        var fromApp = network.Send("app-vm", "2603:1030::1");

        Assert.Equal((Sluice.Network.Addressing.IpPrefix.AnyIPv6, NextHopType.Internet), (fromWeb.Route!.AddressPrefix, fromWeb.Route.NextHopType));
        Assert.Equal((FlowOutcome.LeftNetwork, EgressMethod.InstancePublicIp, "AllowInternetOutBound"), (fromWeb.Outcome, fromWeb.Egress, fromWeb.DecidingRule!.RuleName));
        Assert.Equal(FlowOutcome.NoOutboundConnectivity, fromApp.Outcome);
    }

    [Fact]
    public void Ipv6UserRoutes_SelectByLongestPrefix()
    {
        var network = DualStack();

        Assert.Equal((NextHopType.VirtualAppliance, "fd00:1:0:100::4"), Hop(network.NextHop("vnet", "dmz", IPAddress.Parse("2001:db8:5::1"))));
        Assert.Equal((NextHopType.VnetLocal, null), Hop(network.NextHop("vnet", "dmz", IPAddress.Parse("fd00:1:0:2::4"))));

        static (NextHopType?, string?) Hop(NextHopResult hop) => (hop.NextHopType, hop.NextHopIpAddress?.ToString());
    }

    [Fact]
    public void EffectiveRules_ShowBothFamilies()
    {
        var outbound = DualStack().EffectiveRules("web-vm").Outbound.Single(l => l.NetworkSecurityGroup == "nsg").Rules;

        var vnet = outbound.Single(r => r.Name == "AllowVnetOutBound");
        Assert.Contains(vnet.DestinationAddressPrefixes, p => p.ToString() == "fd00:1::/48");
        Assert.Contains(outbound.Single(r => r.Name == "AllowInternetOutBound").DestinationAddressPrefixes, p => p.ToString() == "2000::/3");
    }
}
