using System.Net;
using Sluice.Network.Model;
using Sluice.Network.Verification;

namespace Sluice.Network.Tests.TestSupport;

/// <summary>Small builders for networks in tests; every test builds its own model.</summary>
internal static class Net
{
    public const string Region = "westeurope";

    public static VirtualNetwork Vnet(string name, string space, params Subnet[] subnets) => new()
    {
        Name = name,
        Location = Region,
        AddressSpace = space.Split(',', StringSplitOptions.TrimEntries),
        Subnets = subnets,
    };

    public static Subnet Subnet(string name, string prefixes, string? nsg = null, string? routeTable = null, string? nat = null) => new()
    {
        Name = name,
        AddressPrefixes = prefixes.Split(',', StringSplitOptions.TrimEntries),
        NetworkSecurityGroup = nsg,
        RouteTable = routeTable,
        NatGateway = nat,
    };

    public static NetworkSecurityGroup Nsg(string name, params SecurityRule[] rules) => new() { Name = name, Location = Region, SecurityRules = rules };

    public static NetworkInterface Nic(string name, string vnet, string subnet, string ip, string? nsg = null, params string[] groups) => new()
    {
        Name = name,
        VirtualNetwork = vnet,
        Subnet = subnet,
        PrivateIpAddress = ip,
        NetworkSecurityGroup = nsg,
        ApplicationSecurityGroups = groups,
    };

    public static Route Route(string name, string prefix, NextHopType type, string? hop = null) =>
        new() { Name = name, AddressPrefix = prefix, NextHopType = type, NextHopIpAddress = hop };

    public static RouteTable RouteTable(string name, params Route[] routes) => new() { Name = name, Routes = routes };

    public static CompiledNetwork Compile(Action<NetworkModelBuilder> build)
    {
        var builder = NetworkModel.CreateBuilder();
        build(builder);
        return builder.Build().Compile();
    }

    public static FlowVerdict Send(this CompiledNetwork network, string fromNic, string to, int port = 443, FlowProtocol protocol = FlowProtocol.Tcp) =>
        network.Verify(new FlowRequest { SourceNetworkInterface = fromNic, DestinationAddress = IPAddress.Parse(to), DestinationPort = port, Protocol = protocol });

    public static FlowVerdict Receive(this CompiledNetwork network, string from, string toNic, int port = 443, FlowProtocol protocol = FlowProtocol.Tcp)
    {
        var nic = network.Model.FindNetworkInterface(toNic)!;
        return network.Verify(new FlowRequest
        {
            SourceAddress = IPAddress.Parse(from),
            DestinationAddress = IPAddress.Parse(nic.PrivateIpAddress),
            DestinationNetworkInterface = toNic,
            DestinationPort = port,
            Protocol = protocol,
        });
    }
}
