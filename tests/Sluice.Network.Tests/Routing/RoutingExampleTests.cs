using System.Net;
using Sluice.Network.Addressing;
using Sluice.Network.Model;
using Sluice.Network.Routing;
using Sluice.Network.Tags;
using Sluice.Network.Verification;
using static Sluice.Network.Tests.TestSupport.Net;

namespace Sluice.Network.Tests.Routing;

/// <summary>
/// The worked example of Azure's "Virtual network traffic routing": Virtual-network-1 (10.0.0.0/16) peered with
/// Virtual-network-2 (10.1.0.0/16 and 10.2.0.0/16), a VPN gateway learning 10.10.0.0/16, a storage service endpoint
/// on Subnet1, and Subnet1's route table forcing traffic through the appliance at 10.0.100.4.
/// </summary>
public sealed class RoutingExampleTests
{
    private static CompiledNetwork Example() => Compile(b => b
        .WithServiceTags(ServiceTagSet.Default.With([new ServiceTag { Name = "Storage.WestEurope", AddressPrefixes = [IpPrefix.Parse("13.69.40.0/24")], Region = "westeurope" }]))
        .Add(Vnet("Virtual-network-1", "10.0.0.0/16",
            Subnet("Subnet1", "10.0.0.0/24", routeTable: "Subnet1-routes") with { ServiceEndpoints = ["Microsoft.Storage"] },
            Subnet("Subnet2", "10.0.1.0/24"),
            Subnet("DMZ", "10.0.100.0/24")) with
        {
            GatewayPrefixes = ["10.10.0.0/16"],
            Peerings = [new Peering { Name = "to-vnet2", RemoteVirtualNetwork = "Virtual-network-2" }],
        })
        .Add(Vnet("Virtual-network-2", "10.1.0.0/16,10.2.0.0/16", Subnet("default", "10.1.0.0/24")) with
        {
            Peerings = [new Peering { Name = "to-vnet1", RemoteVirtualNetwork = "Virtual-network-1" }],
        })
        .Add(RouteTable(
            "Subnet1-routes",
            Route("Within-VNet1", "10.0.0.0/16", NextHopType.VirtualAppliance, "10.0.100.4"),
            Route("Within-Subnet1", "10.0.0.0/24", NextHopType.VnetLocal),
            Route("ToVNet2-1-Drop", "10.1.0.0/16", NextHopType.None),
            Route("ToVNet2-2-Drop", "10.2.0.0/16", NextHopType.None),
            Route("To-On-Prem", "10.10.0.0/16", NextHopType.VirtualAppliance, "10.0.100.4"),
            Route("Default-NVA", "0.0.0.0/0", NextHopType.VirtualAppliance, "10.0.100.4"))));

    [Fact]
    public void Subnet1_RouteTable_MatchesTheDocumentedStates()
    {
        var routes = Example().EffectiveRoutes("Virtual-network-1", "Subnet1").Routes
            .Select(r => $"{r.Source}|{r.State}|{r.AddressPrefix}|{r.NextHopType}|{r.NextHopIpAddress}|{r.Name}")
            .Order(StringComparer.Ordinal);

        Assert.Equal(
            new[]
            {
                "Bgp|Invalid|10.10.0.0/16|VirtualNetworkGateway||",
                "System|Active|13.69.40.0/24|VirtualNetworkServiceEndpoint||",
                "System|Invalid|0.0.0.0/0|Internet||",
                "System|Invalid|10.0.0.0/16|VnetLocal||",
                "System|Invalid|10.1.0.0/16|VNetPeering||",
                "System|Invalid|10.2.0.0/16|VNetPeering||",
                "User|Active|0.0.0.0/0|VirtualAppliance|10.0.100.4|Default-NVA",
                "User|Active|10.0.0.0/16|VirtualAppliance|10.0.100.4|Within-VNet1",
                "User|Active|10.0.0.0/24|VnetLocal||Within-Subnet1",
                "User|Active|10.1.0.0/16|None||ToVNet2-1-Drop",
                "User|Active|10.10.0.0/16|VirtualAppliance|10.0.100.4|To-On-Prem",
                "User|Active|10.2.0.0/16|None||ToVNet2-2-Drop",
            }.Order(StringComparer.Ordinal),
            routes);
    }

    [Fact]
    public void Subnet2_RouteTable_HasEveryDefaultAndOptionalRouteActive()
    {
        var routes = Example().EffectiveRoutes("Virtual-network-1", "Subnet2").Routes;

        Assert.All(routes, r => Assert.Equal(RouteState.Active, r.State));
        Assert.Equal(
            new[]
            {
                "0.0.0.0/0 Internet", "10.0.0.0/16 VnetLocal", "10.0.0.0/8 None", "10.1.0.0/16 VNetPeering", "10.10.0.0/16 VirtualNetworkGateway",
                "10.2.0.0/16 VNetPeering", "100.64.0.0/10 None", "172.16.0.0/12 None", "192.168.0.0/16 None",
            },
            routes.Select(r => $"{r.AddressPrefix} {r.NextHopType}").Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("Subnet1", "10.0.0.7", NextHopType.VnetLocal, "Within-Subnet1")]
    [InlineData("Subnet1", "10.0.1.5", NextHopType.VirtualAppliance, "Within-VNet1")]
    [InlineData("Subnet1", "10.1.0.9", NextHopType.None, "ToVNet2-1-Drop")]
    [InlineData("Subnet1", "10.2.3.4", NextHopType.None, "ToVNet2-2-Drop")]
    [InlineData("Subnet1", "10.10.3.3", NextHopType.VirtualAppliance, "To-On-Prem")]
    [InlineData("Subnet1", "13.69.40.10", NextHopType.VirtualNetworkServiceEndpoint, null)]
    [InlineData("Subnet1", "93.184.216.34", NextHopType.VirtualAppliance, "Default-NVA")]
    [InlineData("Subnet2", "10.1.0.9", NextHopType.VNetPeering, null)]
    [InlineData("Subnet2", "10.10.3.3", NextHopType.VirtualNetworkGateway, null)]
    [InlineData("Subnet2", "13.69.40.10", NextHopType.Internet, null)]
    [InlineData("Subnet2", "10.50.0.1", NextHopType.None, null)]
    public void NextHop_FollowsTheDocumentedRoute(string subnet, string destination, NextHopType type, string? routeName)
    {
        var hop = Example().NextHop("Virtual-network-1", subnet, IPAddress.Parse(destination));

        Assert.Equal((type, routeName), (hop.NextHopType, hop.Route!.Name));
    }
}
