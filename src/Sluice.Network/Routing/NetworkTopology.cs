using Sluice.Network.Addressing;
using Sluice.Network.Model;

namespace Sluice.Network.Routing;

/// <summary>A peering that is connected (both sides exist), seen from one network.</summary>
internal sealed record PeerLink(Peering Local, VirtualNetwork Remote, Peering Back, IReadOnlyList<IpPrefix> RemoteSpace);

/// <summary>Parsed address spaces and connected peerings of every network: what routes and tags are built from.</summary>
internal sealed class NetworkTopology
{
    private readonly Dictionary<string, IReadOnlyList<IpPrefix>> _spaces = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, IReadOnlyList<PeerLink>> _peers = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, IReadOnlyList<IpPrefix>> _gatewayPrefixes = new(StringComparer.OrdinalIgnoreCase);

    public NetworkTopology(NetworkModel model)
    {
        foreach (var network in model.VirtualNetworks)
        {
            _spaces[network.Name] = [.. network.AddressSpace.Select(IpPrefix.Parse)];
        }

        foreach (var network in model.VirtualNetworks)
        {
            List<PeerLink> links = [];
            List<IpPrefix> gateway = [.. network.GatewayPrefixes.Select(IpPrefix.Parse)];
            foreach (var peering in network.Peerings)
            {
                var remote = model.FindVirtualNetwork(peering.RemoteVirtualNetwork)!;
                var back = remote.Peerings.FirstOrDefault(p => string.Equals(p.RemoteVirtualNetwork, network.Name, StringComparison.OrdinalIgnoreCase));
                if (back is null)
                {
                    continue;
                }

                links.Add(new PeerLink(peering, remote, back, _spaces[remote.Name]));
                if (peering.UseRemoteGateways && back.AllowGatewayTransit)
                {
                    gateway.AddRange(remote.GatewayPrefixes.Select(IpPrefix.Parse));
                }
            }

            _peers[network.Name] = links;
            _gatewayPrefixes[network.Name] = gateway;
        }
    }

    public IReadOnlyList<IpPrefix> AddressSpace(VirtualNetwork network) => _spaces[network.Name];

    public IReadOnlyList<PeerLink> ConnectedPeers(VirtualNetwork network) => _peers[network.Name];

    /// <summary>On-premises prefixes reachable through the network's own gateway or a remote gateway it uses.</summary>
    public IReadOnlyList<IpPrefix> GatewayPrefixes(VirtualNetwork network) => _gatewayPrefixes[network.Name];
}
