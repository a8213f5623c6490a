using Sluice.Network.Tags;
using Sluice.Network.Verification;

namespace Sluice.Network.Model;

/// <summary>
/// A validated, immutable description of networks: virtual networks with their subnets and peerings, security groups,
/// route tables, NAT gateways, application security groups, interfaces, private endpoints and the service tags the
/// rules may use. Only <see cref="NetworkModelBuilder"/> makes one, so every reference in it resolves.
/// </summary>
public sealed class NetworkModel
{
    private readonly Dictionary<string, VirtualNetwork> _virtualNetworks;
    private readonly Dictionary<string, NetworkSecurityGroup> _securityGroups;
    private readonly Dictionary<string, RouteTable> _routeTables;
    private readonly Dictionary<string, NatGateway> _natGateways;
    private readonly Dictionary<string, NetworkInterface> _interfaces;
    private readonly Dictionary<string, PrivateEndpoint> _privateEndpoints;

    internal NetworkModel(NetworkModelBuilder builder)
    {
        VirtualNetworks = [.. builder.VirtualNetworks];
        NetworkSecurityGroups = [.. builder.NetworkSecurityGroups];
        RouteTables = [.. builder.RouteTables];
        NatGateways = [.. builder.NatGateways];
        ApplicationSecurityGroups = [.. builder.ApplicationSecurityGroups];
        NetworkInterfaces = [.. builder.NetworkInterfaces];
        PrivateEndpoints = [.. builder.PrivateEndpoints];
        ServiceTags = builder.ServiceTags;
        _virtualNetworks = Index(VirtualNetworks, v => v.Name);
        _securityGroups = Index(NetworkSecurityGroups, n => n.Name);
        _routeTables = Index(RouteTables, r => r.Name);
        _natGateways = Index(NatGateways, n => n.Name);
        _interfaces = Index(NetworkInterfaces, n => n.Name);
        _privateEndpoints = Index(PrivateEndpoints, p => p.Name);
    }

    public static NetworkModelBuilder CreateBuilder() => new();

    public IReadOnlyList<VirtualNetwork> VirtualNetworks { get; }

    public IReadOnlyList<NetworkSecurityGroup> NetworkSecurityGroups { get; }

    public IReadOnlyList<RouteTable> RouteTables { get; }

    public IReadOnlyList<NatGateway> NatGateways { get; }

    public IReadOnlyList<ApplicationSecurityGroup> ApplicationSecurityGroups { get; }

    public IReadOnlyList<NetworkInterface> NetworkInterfaces { get; }

    public IReadOnlyList<PrivateEndpoint> PrivateEndpoints { get; }

    public ServiceTagSet ServiceTags { get; }

    /// <summary>Compiles every security group and route table for evaluation; see <see cref="CompiledNetwork"/>.</summary>
    public CompiledNetwork Compile() => CompiledNetwork.Compile(this);

    public VirtualNetwork? FindVirtualNetwork(string name) => _virtualNetworks.GetValueOrDefault(name);

    public NetworkSecurityGroup? FindNetworkSecurityGroup(string name) => _securityGroups.GetValueOrDefault(name);

    public RouteTable? FindRouteTable(string name) => _routeTables.GetValueOrDefault(name);

    public NatGateway? FindNatGateway(string name) => _natGateways.GetValueOrDefault(name);

    public NetworkInterface? FindNetworkInterface(string name) => _interfaces.GetValueOrDefault(name);

    public PrivateEndpoint? FindPrivateEndpoint(string name) => _privateEndpoints.GetValueOrDefault(name);

    private static Dictionary<string, T> Index<T>(IEnumerable<T> items, Func<T, string> name)
    {
        var index = new Dictionary<string, T>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in items)
        {
            index.TryAdd(name(item), item);
        }

        return index;
    }
}
