using Sluice.Network.Model;
using Sluice.Network.Tests.TestSupport;
using Sluice.Network.Verification;
using static Sluice.Network.Tests.TestSupport.Net;

namespace Sluice.Network.Tests.Tags;

/// <summary>What the VirtualNetwork tag covers in each subnet, seen through the default AllowVnetInBound rule.</summary>
public sealed class VirtualNetworkTagTests
{
    private static IReadOnlyList<string> VirtualNetworkTag(CompiledNetwork network, string vnet, string subnet) =>
        [.. network.EffectiveRules(vnet, subnet).Inbound.Single().Rules.Single(r => r.Name == "AllowVnetInBound").SourceAddressPrefixes.Select(p => p.ToString())];

    [Fact]
    public void Tag_CoversTheSpacePeersGatewayPrefixesHostAndUserRoutePrefixes()
    {
        var network = Compile(b => b
            .Add(Vnet("hub", "10.0.0.0/16", Subnet("app", "10.0.1.0/24", nsg: "nsg", routeTable: "rt")) with
            {
                GatewayPrefixes = ["192.168.0.0/16"],
                Peerings = [new Peering { Name = "to-spoke", RemoteVirtualNetwork = "spoke" }, new Peering { Name = "to-half", RemoteVirtualNetwork = "half" }],
            })
            .Add(Vnet("spoke", "10.1.0.0/16", Subnet("app", "10.1.1.0/24")) with { Peerings = [new Peering { Name = "to-hub", RemoteVirtualNetwork = "hub" }] })
            .Add(Vnet("half", "10.2.0.0/16", Subnet("app", "10.2.1.0/24")))
            .Add(RouteTable("rt", Route("partner", "172.20.0.0/16", NextHopType.VirtualNetworkGateway)))
            .Add(Nsg("nsg")));

        Assert.Equal(["10.0.0.0/15", "168.63.129.16/32", "172.20.0.0/16", "192.168.0.0/16"], VirtualNetworkTag(network, "hub", "app"));
    }

    [Fact]
    public void PeeringWithoutVirtualNetworkAccess_LeavesTheRemoteSpaceOutOfTheTag()
    {
        var network = Compile(b => b
            .Add(Vnet("a", "10.0.0.0/16", Subnet("app", "10.0.1.0/24", nsg: "nsg")) with { Peerings = [new Peering { Name = "to-b", RemoteVirtualNetwork = "b", AllowVirtualNetworkAccess = false }] })
            .Add(Vnet("b", "10.1.0.0/16", Subnet("app", "10.1.1.0/24")) with { Peerings = [new Peering { Name = "to-a", RemoteVirtualNetwork = "a" }] })
            .Add(Nsg("nsg"))
            .Add(Nic("a-vm", "a", "app", "10.0.1.4"))
            .Add(Nic("b-vm", "b", "app", "10.1.1.4")));

        var verdict = network.Send("b-vm", "10.0.1.4", 22);

        Assert.DoesNotContain("10.1.0.0/16", VirtualNetworkTag(network, "a", "app"));
        Assert.Equal(("DenyAllInBound", NextHopType.VNetPeering), (verdict.DecidingRule!.RuleName, verdict.Route!.NextHopType));
    }

    [Fact]
    public void DefaultUserRoute_WidensTheTagToEveryAddress_AsAzureWarns()
    {
        var network = Compile(b => b
            .Add(Vnet("vnet", "10.0.0.0/16", Subnet("app", "10.0.1.0/24", nsg: "nsg", routeTable: "rt"), Subnet("dmz", "10.0.100.0/24")))
            .Add(RouteTable("rt", Route("default-nva", "0.0.0.0/0", NextHopType.VirtualAppliance, "10.0.100.4")))
            .Add(Nsg("nsg"))
            .Add(Nic("vm", "vnet", "app", "10.0.1.4")));

        var fromInternet = network.Receive("203.0.113.10", "vm", 3389);

        Assert.Contains("0.0.0.0/0", VirtualNetworkTag(network, "vnet", "app"));
        Assert.Equal((SecurityRuleAccess.Allow, "AllowVnetInBound"), (fromInternet.Access, fromInternet.DecidingRule!.RuleName));
    }

    [Fact]
    public void InternetTag_IsPublicSpaceOutsideTheVirtualNetworkTag()
    {
        var network = Compile(b => b
            .Add(Vnet("vnet", "10.0.0.0/16,20.30.0.0/24", Subnet("app", "10.0.1.0/24", nsg: "nsg")))
            .Add(Nsg("nsg")));

        var internet = network.EffectiveRules("vnet", "app").Outbound.Single().Rules.Single(r => r.Name == "AllowInternetOutBound").DestinationAddressPrefixes;

        Assert.DoesNotContain(internet, p => p.Contains(System.Net.IPAddress.Parse("20.30.0.9")));
        Assert.DoesNotContain(internet, p => p.Contains(System.Net.IPAddress.Parse("10.5.0.1")));
        Assert.DoesNotContain(internet, p => p.Contains(System.Net.IPAddress.Parse("168.63.129.16")));
        Assert.Contains(internet, p => p.Contains(System.Net.IPAddress.Parse("20.30.1.9")));
        Assert.Contains(internet, p => p.ToString() == "2000::/3");
    }
}
