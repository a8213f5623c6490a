using System.Net;
using Sluice.Network.Model;
using Sluice.Network.Routing;
using Sluice.Network.Tests.TestSupport;
using Sluice.Network.Verification;
using static Sluice.Network.Tests.TestSupport.Net;

namespace Sluice.Network.Tests.Routing;

/// <summary>Private endpoint /32 routes against user routes, and NSGs on endpoints, under each network policy setting.</summary>
public sealed class PrivateEndpointRoutingTests
{
    private static CompiledNetwork Network(PrivateEndpointNetworkPolicies policies, Route? userRoute = null,
        PrivateEndpointConnectionState state = PrivateEndpointConnectionState.Approved, SecurityRule? endpointRule = null) => Compile(b => b
        .Add(Vnet("vnet", "10.0.0.0/16",
            Subnet("nodes", "10.0.1.0/24", routeTable: userRoute is null ? null : "rt"),
            Subnet("endpoints", "10.0.2.0/24", nsg: "pe-nsg") with { PrivateEndpointNetworkPolicies = policies },
            Subnet("dmz", "10.0.100.0/24")))
        .Add(RouteTable("rt", userRoute is null ? [] : [userRoute]))
        .Add(Nsg("pe-nsg", endpointRule is null ? [] : [endpointRule]))
        .Add(Nic("node", "vnet", "nodes", "10.0.1.4"))
        .Add(new PrivateEndpoint
        {
            Name = "blob-pe",
            VirtualNetwork = "vnet",
            Subnet = "endpoints",
            PrivateIpAddresses = ["10.0.2.5"],
            Target = new PrivateLinkTarget("Microsoft.Storage/storageAccounts", "scoringdata"),
            GroupId = PrivateEndpointGroupId.Blob,
            ConnectionState = state,
            Fqdns = ["scoringdata.blob.core.windows.net"],
        }));

    private static readonly Route VnetWideToFirewall = Route("vnet-to-fw", "10.0.0.0/16", NextHopType.VirtualAppliance, "10.0.100.4");

    [Theory]
    [InlineData(PrivateEndpointNetworkPolicies.Disabled, NextHopType.InterfaceEndpoint)]
    [InlineData(PrivateEndpointNetworkPolicies.NetworkSecurityGroupEnabled, NextHopType.InterfaceEndpoint)]
    [InlineData(PrivateEndpointNetworkPolicies.RouteTableEnabled, NextHopType.VirtualAppliance)]
    [InlineData(PrivateEndpointNetworkPolicies.Enabled, NextHopType.VirtualAppliance)]
    public void UserRouteAsLongAsTheAddressSpace_OverridesTheEndpointRoute_OnlyWithRouteTablePolicies(PrivateEndpointNetworkPolicies policies, NextHopType expected)
    {
        var network = Network(policies, VnetWideToFirewall);

        var hop = network.NextHop("node", IPAddress.Parse("10.0.2.5"));

        Assert.Equal(expected, hop.NextHopType);
    }

    [Fact]
    public void EndpointRoute_IsAHostRouteWithTheEndpointAsTarget()
    {
        var route = Network(PrivateEndpointNetworkPolicies.Disabled).EffectiveRoutes("vnet", "nodes").Routes.Single(r => r.NextHopType == NextHopType.InterfaceEndpoint);

        Assert.Equal(("10.0.2.5/32", "blob-pe", RouteSource.System), (route.AddressPrefix.ToString(), route.Target, route.Source));
    }

    [Fact]
    public void DefaultRouteToAnAppliance_NeverOverridesTheEndpointRoute_EvenWithPolicies()
    {
        var network = Network(PrivateEndpointNetworkPolicies.Enabled, Route("default-nva", "0.0.0.0/0", NextHopType.VirtualAppliance, "10.0.100.4"));

        Assert.Equal(NextHopType.InterfaceEndpoint, network.NextHop("node", IPAddress.Parse("10.0.2.5")).NextHopType);
        Assert.Equal(NextHopType.VirtualAppliance, network.NextHop("node", IPAddress.Parse("93.184.216.34")).NextHopType);
    }

    [Fact]
    public void LongerUserRoute_WithPolicies_InvalidatesTheEndpointRoute_AndSaysWhy()
    {
        var network = Network(PrivateEndpointNetworkPolicies.RouteTableEnabled, Route("endpoints-to-fw", "10.0.2.0/24", NextHopType.VirtualAppliance, "10.0.100.4"));

        var endpointRoute = network.EffectiveRoutes("vnet", "nodes").Routes.Single(r => r.NextHopType == NextHopType.InterfaceEndpoint);

        Assert.Equal(RouteState.Invalid, endpointRoute.State);
        Assert.Contains("invalidates the private endpoint route", endpointRoute.InvalidReason, StringComparison.Ordinal);
        Assert.Equal(NextHopType.VirtualAppliance, network.NextHop("node", IPAddress.Parse("10.0.2.5")).NextHopType);
    }

    [Fact]
    public void HostUserRoute_WithoutPolicies_StillOverridesByTheEqualPrefixRule()
    {
        var network = Network(PrivateEndpointNetworkPolicies.Disabled, Route("pe-to-fw", "10.0.2.5/32", NextHopType.VirtualAppliance, "10.0.100.4"));

        Assert.Equal(NextHopType.VirtualAppliance, network.NextHop("node", IPAddress.Parse("10.0.2.5")).NextHopType);
    }

    [Theory]
    [InlineData(PrivateEndpointNetworkPolicies.Disabled, SecurityRuleAccess.Allow)]
    [InlineData(PrivateEndpointNetworkPolicies.RouteTableEnabled, SecurityRuleAccess.Allow)]
    [InlineData(PrivateEndpointNetworkPolicies.NetworkSecurityGroupEnabled, SecurityRuleAccess.Deny)]
    [InlineData(PrivateEndpointNetworkPolicies.Enabled, SecurityRuleAccess.Deny)]
    public void SubnetGroup_AppliesToTheEndpoint_OnlyWithSecurityGroupPolicies(PrivateEndpointNetworkPolicies policies, SecurityRuleAccess expected)
    {
        var network = Network(policies, endpointRule: Rule.Deny("deny-nodes", 100, src: "10.0.1.0/24"));

        var verdict = network.Send("node", "10.0.2.5", 443);

        Assert.Equal(expected, verdict.Access);
        Assert.Equal("blob-pe", verdict.DestinationResource);
    }

    [Fact]
    public void PendingConnection_DoesNotReachTheService()
    {
        var verdict = Network(PrivateEndpointNetworkPolicies.Disabled, state: PrivateEndpointConnectionState.Pending).Send("node", "10.0.2.5", 443);

        Assert.Equal((SecurityRuleAccess.Deny, FlowOutcome.PrivateEndpointNotApproved), (verdict.Access, verdict.Outcome));
    }

    [Fact]
    public void EndpointInAPeeredNetwork_GetsAHostRouteThereToo()
    {
        var network = Compile(b => b
            .Add(Vnet("hub", "10.0.0.0/16", Subnet("endpoints", "10.0.2.0/24")) with { Peerings = [new Peering { Name = "to-spoke", RemoteVirtualNetwork = "spoke" }] })
            .Add(Vnet("spoke", "10.1.0.0/16", Subnet("nodes", "10.1.1.0/24")) with { Peerings = [new Peering { Name = "to-hub", RemoteVirtualNetwork = "hub" }] })
            .Add(Nic("node", "spoke", "nodes", "10.1.1.4"))
            .Add(new PrivateEndpoint
            {
                Name = "workspace-pe",
                VirtualNetwork = "hub",
                Subnet = "endpoints",
                PrivateIpAddresses = ["10.0.2.5"],
                Target = new PrivateLinkTarget("Microsoft.MachineLearningServices/workspaces", "ws"),
                GroupId = PrivateEndpointGroupId.AmlWorkspace,
            }));

        var verdict = network.Send("node", "10.0.2.5", 443);

        Assert.Equal((NextHopType.InterfaceEndpoint, FlowOutcome.Delivered, "workspace-pe"), (verdict.Route!.NextHopType, verdict.Outcome, verdict.DestinationResource));
    }
}
