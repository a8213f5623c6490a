using Sluice.Network.Model;
using Sluice.Network.Tests.TestSupport;
using static Sluice.Network.Tests.TestSupport.Net;

namespace Sluice.Network.Tests.Validation;

public sealed class NetworkModelValidationTests
{
    [Fact]
    public void Build_WithManyProblems_ReportsEveryOneWithItsPath()
    {
        var builder = NetworkModel.CreateBuilder()
            .Add(Vnet("vnet-a", "10.0.0.0/16",
                Subnet("web", "10.0.1.0/24", nsg: "missing-nsg", routeTable: "rt"),
                Subnet("app", "10.1.0.0/24"),
                Subnet("overlap", "10.0.1.128/25")) with
            {
                Peerings = [new Peering { Name = "to-b", RemoteVirtualNetwork = "vnet-b" }],
            })
            .Add(Vnet("vnet-b", "10.0.128.0/17", Subnet("default", "10.0.128.0/24")) with
            {
                Peerings = [new Peering { Name = "to-a", RemoteVirtualNetwork = "vnet-a" }],
            })
            .Add(Nsg(
                "nsg-a",
                Rule.Deny("deny-all", 5000),
                Rule.Allow("first", 200),
                Rule.Allow("second", 200),
                Rule.Allow("tagged", 300, src: "NoSuchTag"),
                Rule.Allow("grouped", 310, src: "asg:NoSuchGroup"),
                Rule.Allow("bad-port", 320, dstPorts: "80-70")))
            .Add(RouteTable(
                "rt",
                Route("nva-without-ip", "0.0.0.0/0", NextHopType.VirtualAppliance),
                Route("internet-with-ip", "20.0.0.0/8", NextHopType.Internet, "10.0.100.4")))
            .Add(Nic("nic", "vnet-a", "web", "10.0.2.4"));

        var ok = builder.TryBuild(out var model, out var errors);

        Assert.False(ok);
        Assert.Null(model);
        Assert.Equal(
            new[]
            {
                "network_interfaces[nic].private_ip_address: 10.0.2.4 is not in subnet 'web' (10.0.1.0/24)",
                "network_security_groups[nsg-a].security_rules[bad-port].destination_port_ranges[0]: '80-70' starts after it ends; write the lower port first, e.g. 70-80",
                "network_security_groups[nsg-a].security_rules[deny-all].priority: 5000 is out of range; priorities are 100 to 4096 (lower numbers are processed first)",
                "network_security_groups[nsg-a].security_rules[grouped].source_application_security_groups[0]: no application security group is named 'NoSuchGroup'",
                "network_security_groups[nsg-a].security_rules[second].priority: priority 200 is already used by inbound rule 'first'; each direction needs distinct priorities",
                "network_security_groups[nsg-a].security_rules[tagged].source_address_prefixes[0]: unknown service tag 'NoSuchTag'; use a tag of the service tag set (e.g. VirtualNetwork, Internet, AzureLoadBalancer, Storage.WestEurope), an address or a CIDR prefix",
                "route_tables[rt].routes[internet-with-ip].next_hop_ip_address: only VirtualAppliance routes take a next hop address; remove it from this Internet route",
                "route_tables[rt].routes[nva-without-ip].next_hop_ip_address: a VirtualAppliance route needs the appliance's private IP address as its next hop",
                "virtual_networks[vnet-a].peerings[to-b].remote_virtual_network: address space 10.0.0.0/16 of 'vnet-a' overlaps 10.0.128.0/17 of 'vnet-b'; peered networks cannot overlap",
                "virtual_networks[vnet-a].subnets[app].address_prefixes[0]: 10.1.0.0/24 is outside the address space of virtual network 'vnet-a' (10.0.0.0/16)",
                "virtual_networks[vnet-a].subnets[overlap].address_prefixes[0]: 10.0.1.128/25 overlaps 10.0.1.0/24 (virtual_networks[vnet-a].subnets[web].address_prefixes[0]); subnets of a virtual network cannot overlap",
                "virtual_networks[vnet-a].subnets[web].network_security_group: no network security group is named 'missing-nsg'",
                "virtual_networks[vnet-b].peerings[to-a].remote_virtual_network: address space 10.0.128.0/17 of 'vnet-b' overlaps 10.0.0.0/16 of 'vnet-a'; peered networks cannot overlap",
            },
            errors.Select(e => e.ToString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Build_WithProblems_ThrowsOneExceptionListingThemAll()
    {
        var builder = NetworkModel.CreateBuilder()
            .Add(Vnet("vnet", "10.0.0.0/16", Subnet("web", "10.0.1.0/24", nsg: "nope", routeTable: "nope")));

        var error = Assert.Throws<NetworkModelException>(builder.Build);

        Assert.Equal(2, error.Errors.Count);
        Assert.Contains("has 2 problems", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.0.0.1/16", "is not a network address")]
    [InlineData("10.0.0.0/40", "invalid prefix length")]
    [InlineData("10.0.0/16", "is not an IPv4 or IPv6 address prefix")]
    public void AddressSpace_Malformed_IsReportedAtItsIndex(string prefix, string expected)
    {
        var builder = NetworkModel.CreateBuilder().Add(Vnet("vnet", $"10.1.0.0/16,{prefix}"));

        Assert.False(builder.TryBuild(out _, out var errors));
        var error = Assert.Single(errors);
        Assert.Equal("virtual_networks[vnet].address_space[1]", error.Path);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rules_TagsMixedWithAddresses_AndGroupsWithPrefixes_AreRejected()
    {
        var builder = NetworkModel.CreateBuilder()
            .Add(new ApplicationSecurityGroup { Name = "web" })
            .Add(Nsg(
                "nsg",
                Rule.Allow("tag-and-cidr", 100, src: "VirtualNetwork,10.0.0.0/8"),
                Rule.Allow("star-and-cidr", 110, dst: "*,10.0.0.0/8"),
                Rule.Allow("prefix-and-group", 120, dst: "10.0.0.0/8,asg:web")));

        Assert.False(builder.TryBuild(out _, out var errors));
        Assert.Equal(
            new[]
            {
                "network_security_groups[nsg].security_rules[prefix-and-group].destination_application_security_groups",
                "network_security_groups[nsg].security_rules[star-and-cidr].destination_address_prefixes[0]",
                "network_security_groups[nsg].security_rules[tag-and-cidr].source_address_prefixes[0]",
            },
            errors.Select(e => e.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Interfaces_ReservedAddressesDuplicatesAndGroupsAcrossNetworks_AreRejected()
    {
        var builder = NetworkModel.CreateBuilder()
            .Add(Vnet("a", "10.0.0.0/16", Subnet("s", "10.0.1.0/24")))
            .Add(Vnet("b", "10.1.0.0/16", Subnet("s", "10.1.1.0/24")))
            .Add(new ApplicationSecurityGroup { Name = "web" })
            .Add(Nic("reserved", "a", "s", "10.0.1.3"))
            .Add(Nic("first", "a", "s", "10.0.1.10", null, "web"))
            .Add(Nic("same-ip", "a", "s", "10.0.1.10"))
            .Add(Nic("other-network", "b", "s", "10.1.1.10", null, "web"))
            .Add(Nic("no-subnet", "a", "nope", "10.0.1.11"));

        Assert.False(builder.TryBuild(out _, out var errors));
        Assert.Equal(
            new[]
            {
                "network_interfaces[no-subnet].subnet: virtual network 'a' has no subnet named 'nope'",
                "network_interfaces[other-network].application_security_groups[0]: application security group 'web' already has members in virtual network 'a'; all members must be in one virtual network",
                "network_interfaces[reserved].private_ip_address: 10.0.1.3 is reserved by Azure in subnet 's': the first four and the last address of each subnet are not assignable",
                "network_interfaces[same-ip].private_ip_address: 10.0.1.10 is already used by network_interfaces[first].private_ip_address in virtual network 'a'",
            },
            errors.Select(e => e.ToString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Names_DuplicatedIgnoringCase_AreRejected()
    {
        var builder = NetworkModel.CreateBuilder().Add(Nsg("web-nsg")).Add(Nsg("WEB-NSG"));

        Assert.False(builder.TryBuild(out _, out var errors));
        Assert.Equal("network_security_groups[WEB-NSG].name", Assert.Single(errors).Path);
    }

    [Fact]
    public void NatGateways_WithIPv6OrSpanningNetworks_AreRejected()
    {
        var builder = NetworkModel.CreateBuilder()
            .Add(Vnet("a", "10.0.0.0/16", Subnet("s", "10.0.1.0/24", nat: "nat")))
            .Add(Vnet("b", "10.1.0.0/16", Subnet("s", "10.1.1.0/24", nat: "nat")))
            .Add(new NatGateway { Name = "nat", PublicIpAddresses = ["52.1.1.1", "2603:1020::1"] });

        Assert.False(builder.TryBuild(out _, out var errors));
        Assert.Equal(
            new[] { "nat_gateways[nat].public_ip_addresses[1]", "virtual_networks[b].subnets[s].nat_gateway" },
            errors.Select(e => e.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Routes_DuplicatePrefixesUnknownTagsAndSystemHopTypes_AreRejected()
    {
        var builder = NetworkModel.CreateBuilder().Add(RouteTable(
            "rt",
            Route("one", "10.0.0.0/16", NextHopType.None),
            Route("two", "10.0.0.0/16", NextHopType.Internet),
            Route("tag", "NoSuchTag", NextHopType.Internet),
            Route("contextual", "VirtualNetwork", NextHopType.Internet),
            Route("system-hop", "10.9.0.0/16", NextHopType.VNetPeering)));

        Assert.False(builder.TryBuild(out _, out var errors));
        Assert.Equal(
            new[]
            {
                "route_tables[rt].routes[contextual].address_prefix",
                "route_tables[rt].routes[system-hop].next_hop_type",
                "route_tables[rt].routes[tag].address_prefix",
                "route_tables[rt].routes[two].address_prefix",
            },
            errors.Select(e => e.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Peerings_UsingRemoteGatewaysWithoutTransit_AreRejected()
    {
        var builder = NetworkModel.CreateBuilder()
            .Add(Vnet("hub", "10.0.0.0/16") with { GatewayPrefixes = ["192.168.0.0/16"], Peerings = [new Peering { Name = "to-spoke", RemoteVirtualNetwork = "spoke" }] })
            .Add(Vnet("spoke", "10.1.0.0/16") with { Peerings = [new Peering { Name = "to-hub", RemoteVirtualNetwork = "hub", UseRemoteGateways = true }, new Peering { Name = "to-self", RemoteVirtualNetwork = "spoke" }] });

        Assert.False(builder.TryBuild(out _, out var errors));
        Assert.Equal(
            new[]
            {
                "virtual_networks[spoke].peerings[to-hub].use_remote_gateways: the peering from 'hub' back to 'spoke' does not allow gateway transit",
                "virtual_networks[spoke].peerings[to-self].remote_virtual_network: a virtual network cannot be peered with itself",
            },
            errors.Select(e => e.ToString()).Order(StringComparer.Ordinal));
    }
}
