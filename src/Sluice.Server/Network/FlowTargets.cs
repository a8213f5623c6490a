using System.Net;
using Sluice.Core.Diagnostics;
using Sluice.Core.Specs;
using Sluice.Core.Specs.Network;
using Sluice.Core.Yaml;
using Sluice.Data.Network;
using Sluice.Network.Model;
using Sluice.Network.Routing;
using Sluice.Server.Api;
using CorePrivateLinkTarget = Sluice.Core.Specs.Network.PrivateLinkTarget;
using NextHopType = Sluice.Network.Model.NextHopType;

namespace Sluice.Server.Network;

/// <summary>What a question starts from: an interface, a subnet, or an address outside the modelled networks.</summary>
public sealed record FlowSource
{
    public required string Input { get; init; }

    public string? NetworkInterface { get; init; }

    public string? VirtualNetwork { get; init; }

    public string? Subnet { get; init; }

    /// <summary>The interface's primary address, or the address given.</summary>
    public IPAddress? Address { get; init; }

    /// <summary>Whether the question gave the address (rather than a name it was looked up from).</summary>
    public bool AddressGiven { get; init; }

    /// <summary>The compute a subnet was named through, when it was.</summary>
    public string? Compute { get; init; }

    public bool IsExternal => VirtualNetwork is null;

    public string? SubnetPath => VirtualNetwork is null ? null : $"{VirtualNetwork}/{Subnet}";
}

/// <summary>
/// Where a flow goes: the address, and what it is when the question named a resource rather than an address (and
/// so how the address was chosen).
/// </summary>
public sealed record FlowDestination
{
    public required string Input { get; init; }

    public required IPAddress Address { get; init; }

    /// <summary>How the address was found: <c>address</c>, <c>network_interface</c>, <c>private_endpoint</c> or <c>public_address</c>.</summary>
    public required string ResolvedVia { get; init; }

    public string? NetworkInterface { get; init; }

    public string? PrivateEndpoint { get; init; }

    /// <summary>The service, as <c>kind:name</c> (<c>storage_account:mystorage</c>), when the destination is one.</summary>
    public CorePrivateLinkTarget? Resource { get; init; }

    public string? GroupId { get; init; }

    public string? Fqdn { get; init; }

    /// <summary>The port the service answers on, used when the question gives none.</summary>
    public int? DefaultPort { get; init; }

    /// <summary>How the name was resolved, for the explanation.</summary>
    public IReadOnlyList<string> Steps { get; init; } = [];
}

/// <summary>
/// Turns the words of a question (an interface name, <c>&lt;compute&gt;/&lt;node&gt;</c>, a subnet, an address, a
/// resource, a host name) into places in a workspace's compiled network. A name that names nothing is a 404 listing
/// what exists; text that is meant as an address but is not one is a 400 naming the field.
/// </summary>
internal static class FlowTargets
{
    /// <summary>Services answer on HTTPS.</summary>
    public const int ServicePort = 443;

    private static readonly string[] ResourcePrefixes = ["storage-account", "secret-store", "registry", "workspace", "private-endpoint", "nic"];

    public static FlowSource ResolveSource(WorkspaceNetworkModel network, string field, string text, bool allowSubnet)
    {
        var model = network.Model!;
        text = text.Trim();
        if (model.FindNetworkInterface(text) is { } nic)
        {
            return FromInterface(text, nic);
        }

        if (LooksLikeAddress(text))
        {
            if (NetworkAddresses.TryParseAddress(text, out var address) is { } error)
            {
                throw Invalid(field, error);
            }

            var owners = model.NetworkInterfaces.Where(n => Addresses(n).Any(a => a.Equals(address))).ToList();
            if (owners.Count > 1)
            {
                throw Invalid(field, $"several network interfaces have address {address} ({string.Join(", ", owners.Select(o => o.Name))}); name the interface instead");
            }

            if (owners.Count == 1)
            {
                return FromInterface(text, owners[0]) with { Address = address, AddressGiven = true };
            }

            if (SubnetContaining(model, address) is { } subnet)
            {
                if (allowSubnet)
                {
                    return new FlowSource { Input = text, VirtualNetwork = subnet.Network.Name, Subnet = subnet.Subnet.Name, Address = address, AddressGiven = true };
                }

                if (model.PrivateEndpoints.Any(e => e.PrivateIpAddresses.Any(a => IPAddress.Parse(a).Equals(address))))
                {
                    // Endpoints only answer; the engine treats a flow from one as coming from outside, and says so.
                    return new FlowSource { Input = text, Address = address, AddressGiven = true };
                }

                throw Missing(
                    $"No network interface has address {address} (in subnet {subnet.Network.Name}/{subnet.Subnet.Name}), and a flow needs a machine to start from; interfaces: {List(model.NetworkInterfaces.Select(n => $"{n.Name} ({n.PrivateIpAddress})"))}.",
                    "name an interface (or its address), or give an address outside the modelled networks for an external source");
            }

            return new FlowSource { Input = text, Address = address, AddressGiven = true };
        }

        if (allowSubnet && SubnetReference.TryParse(text, out var reference, out _) && FindSubnet(model, reference!.VirtualNetwork, reference.Subnet) is { } named)
        {
            return new FlowSource { Input = text, VirtualNetwork = named.Network.Name, Subnet = named.Subnet.Name };
        }

        var computeName = text.Split('/')[0];
        if (network.Specs.Find(ResourceKind.Compute, computeName) is ComputeSpec compute)
        {
            if (compute.NetworkSettings is not { Subnet: { } computeSubnet } settings)
            {
                throw Missing($"Compute '{compute.Name}' is in no subnet, so it has no place in the network.", $"give it network_settings (sluice compute update -n {compute.Name} --set network_settings.subnet=VNET/SUBNET)");
            }

            var vnet = settings.VnetName ?? computeSubnet.Split('/')[0];
            var subnetName = computeSubnet.Split('/')[^1];
            if (allowSubnet && !text.Contains('/', StringComparison.Ordinal) && FindSubnet(model, vnet, subnetName) is { } place)
            {
                return new FlowSource { Input = text, VirtualNetwork = place.Network.Name, Subnet = place.Subnet.Name, Compute = compute.Name };
            }

            throw Missing(
                $"{(text.Contains('/', StringComparison.Ordinal) ? $"Node '{text}' was not found" : $"Compute '{compute.Name}' has no node to start from")}: the nodes of compute '{compute.Name}' have no addresses in the model yet (a node gets its interface '{compute.Name}/<node>' when it joins subnet {vnet}/{subnetName}).",
                $"name an interface or an address in subnet {vnet}/{subnetName}{(allowSubnet ? $", or the subnet itself ({vnet}/{subnetName})" : string.Empty)}");
        }

        var what = allowSubnet ? "network interface, subnet or compute" : "network interface or compute";
        throw Missing(
            $"No {what} is named '{text}'; interfaces: {List(model.NetworkInterfaces.Select(n => n.Name))}{(allowSubnet ? $"; subnets: {List(model.VirtualNetworks.SelectMany(v => v.Subnets.Select(s => $"{v.Name}/{s.Name}")))}" : string.Empty)}.",
            $"{field} is an interface name, <compute>/<node>, {(allowSubnet ? "<vnet>/<subnet>, " : string.Empty)}or an IP address");
    }

    /// <summary>Resolves a destination as the source would reach it (which private endpoints its network sees).</summary>
    public static FlowDestination ResolveDestination(WorkspaceNetworkModel network, SluiceNetworkOptions options, string field, string text, FlowSource source)
    {
        var model = network.Model!;
        text = text.Trim();
        var family = source.Address?.AddressFamily ?? System.Net.Sockets.AddressFamily.InterNetwork;
        if (model.FindNetworkInterface(text) is not null)
        {
            return ToInterface(model, field, text, text, family);
        }

        if (LooksLikeAddress(text))
        {
            if (NetworkAddresses.TryParseAddress(text, out var address) is { } error)
            {
                throw Invalid(field, error);
            }

            return new FlowDestination { Input = text, Address = address, ResolvedVia = "address", Resource = PublicOwner(network, address) };
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && Array.Find(ResourcePrefixes, p => string.Equals(p, text[..colon].Replace('_', '-'), StringComparison.OrdinalIgnoreCase)) is { } prefix)
        {
            var rest = text[(colon + 1)..];
            return prefix switch
            {
                "nic" => ToInterface(model, field, text, rest, family),
                "private-endpoint" => ToEndpoint(model, field, text, rest, family),
                _ => ToService(network, options, field, text, prefix, rest, source),
            };
        }

        if (text.Contains('.', StringComparison.Ordinal) && FindHostName(network, text) is { } named)
        {
            return Service(network, options, text, named.Target, named.GroupId, source, named.Endpoints, text);
        }

        throw Missing(
            $"Destination '{text}' is not an IP address, a network interface, a resource or a host name the workspace's network knows; interfaces: {List(model.NetworkInterfaces.Select(n => n.Name))}; host names: {List(HostNames(network).Select(h => h.Name).Distinct(StringComparer.OrdinalIgnoreCase))}.",
            $"{field} is an IP address, nic:NAME, private-endpoint:NAME, storage-account:NAME[:blob|file|queue|table|dfs], secret-store:NAME, registry:NAME, workspace:NAME, or a host name such as NAME.blob.core.windows.net");
    }

    /// <summary>Whether text is meant as an address (so a typo in it is a 400, not an unknown name).</summary>
    public static bool LooksLikeAddress(string text) =>
        text.Length > 0 && (text.All(c => char.IsAsciiDigit(c) || c == '.') ||
            (text.Contains(':', StringComparison.Ordinal) && text.All(c => char.IsAsciiHexDigit(c) || c is ':' or '.')));

    /// <summary>A 404 whose message names what is missing and lists what exists.</summary>
    public static SluiceException Missing(string message, string? hint) => new(message, SluiceErrorKind.NotFound, hint);

    public static ProblemListException Invalid(string field, string message) =>
        new(SluiceErrorKind.Invalid, "Invalid request", $"{field}: {message}", [new KeyedProblem(field, message)]);

    private static FlowSource FromInterface(string input, NetworkInterface nic) => new()
    {
        Input = input,
        NetworkInterface = nic.Name,
        VirtualNetwork = nic.VirtualNetwork,
        Subnet = nic.Subnet,
        Address = IPAddress.Parse(nic.PrivateIpAddress),
    };

    private static FlowDestination ToInterface(NetworkModel model, string field, string input, string name, System.Net.Sockets.AddressFamily family)
    {
        var nic = model.FindNetworkInterface(name)
            ?? throw Missing($"Network interface '{name}' was not found; interfaces: {List(model.NetworkInterfaces.Select(n => n.Name))}.", $"{field}: nic:NAME names an interface of the workspace's network (or a compute node, <compute>/<node>)");
        var address = Pick(Addresses(nic), family);
        return new FlowDestination
        {
            Input = input,
            Address = address,
            ResolvedVia = "network_interface",
            NetworkInterface = nic.Name,
            Steps = [$"Destination {input}: network interface {nic.Name} at {address}."],
        };
    }

    private static FlowDestination ToEndpoint(NetworkModel model, string field, string input, string name, System.Net.Sockets.AddressFamily family)
    {
        var endpoint = model.FindPrivateEndpoint(name)
            ?? throw Missing($"Private endpoint '{name}' was not found; private endpoints: {List(model.PrivateEndpoints.Select(e => e.Name))}.", $"{field}: private-endpoint:NAME names a private endpoint of the workspace");
        var address = Pick(endpoint.PrivateIpAddresses.Select(IPAddress.Parse), family);
        return new FlowDestination
        {
            Input = input,
            Address = address,
            ResolvedVia = "private_endpoint",
            PrivateEndpoint = endpoint.Name,
            Resource = TargetOf(endpoint),
            GroupId = GroupName(endpoint.GroupId),
            DefaultPort = ServicePort,
            Steps = [$"Destination {input}: private endpoint {endpoint.Name} at {address} ({GroupName(endpoint.GroupId)} of {TargetOf(endpoint)})."],
        };
    }

    private static FlowDestination ToService(WorkspaceNetworkModel network, SluiceNetworkOptions options, string field, string input, string prefix, string rest, FlowSource source)
    {
        var parts = rest.Split(':');
        var kind = prefix switch
        {
            "storage-account" => PrivateLinkTargetKind.StorageAccount,
            "secret-store" => PrivateLinkTargetKind.SecretStore,
            "registry" => PrivateLinkTargetKind.Registry,
            _ => PrivateLinkTargetKind.Workspace,
        };
        var groups = CorePrivateLinkTarget.GroupIds(kind);
        var name = parts[0];
        if (name.Length == 0 || parts.Length > 2 || (parts.Length == 2 && kind != PrivateLinkTargetKind.StorageAccount))
        {
            throw Invalid(field, $"'{input}' is not {prefix}:NAME{(kind == PrivateLinkTargetKind.StorageAccount ? "[:blob|file|queue|table|dfs]" : string.Empty)}");
        }

        var group = parts.Length == 2 ? parts[1].ToLowerInvariant() : groups[0];
        if (!groups.Contains(group))
        {
            throw Invalid(field, $"'{parts[1]}' is not a sub-resource of a storage account; use one of {string.Join(", ", groups)}");
        }

        var target = new CorePrivateLinkTarget(kind, name);
        var resourceKind = target.ResourceKind;
        var spec = network.Specs.Find(resourceKind, name);
        if (spec is null)
        {
            var existing = resourceKind == ResourceKind.Workspace ? [network.Specs.Workspace.Name] : network.Specs.All(resourceKind).Select(r => r.Name).Order(StringComparer.Ordinal).ToList();
            throw Missing($"{Capitalized(Describe(target))} was not found; {KindName(kind)}s: {List(existing)}.", $"create it with 'sluice {CommandOf(kind)} create', or check the name");
        }

        return Service(network, options, input, target, group, source, candidates: null, fqdn: null);
    }

    /// <summary>
    /// The address a source uses for a service's sub-resource: an approved private endpoint whose network the source's
    /// subnet has a route to (Azure's private DNS zone answers there), else the service's public address.
    /// </summary>
    private static FlowDestination Service(WorkspaceNetworkModel network, SluiceNetworkOptions options, string input, CorePrivateLinkTarget target, string group, FlowSource source, IReadOnlyList<string>? candidates, string? fqdn)
    {
        var model = network.Model!;
        var family = source.Address?.AddressFamily ?? System.Net.Sockets.AddressFamily.InterNetwork;
        var kindName = EnumNames<PrivateLinkTargetKind>.ToName(target.Kind);
        var endpoints = model.PrivateEndpoints
            .Where(e => string.Equals(e.Target.Kind, kindName, StringComparison.OrdinalIgnoreCase) && string.Equals(e.Target.Name, target.Name, StringComparison.OrdinalIgnoreCase))
            .Where(e => string.Equals(GroupName(e.GroupId), group, StringComparison.OrdinalIgnoreCase))
            .Where(e => candidates is null || candidates.Contains(e.Name, StringComparer.OrdinalIgnoreCase))
            .OrderBy(e => e.Name, StringComparer.Ordinal)
            .ToList();
        var routes = source.IsExternal ? null : network.Compiled!.EffectiveRoutes(source.VirtualNetwork!, source.Subnet!).Routes;
        bool Reachable(PrivateEndpoint e) => routes?.Any(r => r.NextHopType == NextHopType.InterfaceEndpoint && string.Equals(r.Target, e.Name, StringComparison.OrdinalIgnoreCase)) == true;

        var name = fqdn ?? PublicName(network, target, group);
        List<string> steps = [];
        var chosen = endpoints.Find(e => e.ConnectionState == PrivateEndpointConnectionState.Approved && Reachable(e));
        if (chosen is not null)
        {
            var address = Pick(chosen.PrivateIpAddresses.Select(IPAddress.Parse), family);
            steps.Add($"Destination {Label(input, name)} resolves to {address}, the address of private endpoint {chosen.Name} ({group} of {Describe(target)}): its connection is approved and its virtual network {chosen.VirtualNetwork} is {(string.Equals(chosen.VirtualNetwork, source.VirtualNetwork, StringComparison.OrdinalIgnoreCase) ? "the source's" : $"peered with the source's ({source.VirtualNetwork})")}, where its private DNS record answers.");
            return new FlowDestination
            {
                Input = input,
                Address = address,
                ResolvedVia = "private_endpoint",
                PrivateEndpoint = chosen.Name,
                Resource = target,
                GroupId = group,
                Fqdn = name,
                DefaultPort = ServicePort,
                Steps = steps,
            };
        }

        var why = endpoints.Count == 0
            ? $"no private endpoint connects to {group} of {Describe(target)}"
            : string.Join("; ", endpoints.Select(e => e.ConnectionState != PrivateEndpointConnectionState.Approved
                ? $"private endpoint {e.Name} is {e.ConnectionState}, not approved"
                : source.IsExternal
                    ? $"private endpoint {e.Name} answers only inside virtual network {e.VirtualNetwork} and its peers, and the source is outside the modelled networks"
                    : $"private endpoint {e.Name} is in virtual network {e.VirtualNetwork}, which subnet {source.SubnetPath} has no route to"));
        var publicAddress = PublicAddress(network, options, target);
        if (publicAddress is null)
        {
            throw SluiceException.Conflict(
                $"{Capitalized(Describe(target))} has no address {source.Input} can use for {group}: {why}, and it has no public_address.",
                target.Kind == PrivateLinkTargetKind.Workspace
                    ? "add an approved private endpoint for the workspace in a network the source reaches"
                    : $"add an approved private endpoint for {group} in a network the source reaches, or model the public face with 'sluice {CommandOf(target.Kind)} update -n {target.Name} --set public_address=IP'");
        }

        steps.Add($"Destination {Label(input, name)} resolves to the public address {publicAddress} of {Describe(target)}, because {why}.");
        return new FlowDestination
        {
            Input = input,
            Address = publicAddress,
            ResolvedVia = "public_address",
            Resource = target,
            GroupId = group,
            Fqdn = name,
            DefaultPort = ServicePort,
            Steps = steps,
        };
    }

    /// <summary>The service's public address: as modelled, or for a workspace the control plane's.</summary>
    private static IPAddress? PublicAddress(WorkspaceNetworkModel network, SluiceNetworkOptions options, CorePrivateLinkTarget target)
    {
        var spec = network.Specs.Find(target.ResourceKind, target.Name);
        var text = spec switch
        {
            StorageAccountSpec s => s.PublicAddress,
            SecretStoreSpec s => s.PublicAddress,
            RegistrySpec s => s.PublicAddress,
            WorkspaceSpec when options.ControlPlanePrefixes.Count > 0 => options.ControlPlanePrefixes[0],
            _ => null,
        };
        return text is null ? null : Sluice.Network.Addressing.IpPrefix.Parse(text).NetworkAddress;
    }

    private static CorePrivateLinkTarget? PublicOwner(WorkspaceNetworkModel network, IPAddress address)
    {
        foreach (var (kind, resourceKind) in new[] { (PrivateLinkTargetKind.StorageAccount, ResourceKind.StorageAccount), (PrivateLinkTargetKind.SecretStore, ResourceKind.SecretStore), (PrivateLinkTargetKind.Registry, ResourceKind.Registry) })
        {
            foreach (var spec in network.Specs.All(resourceKind))
            {
                var text = spec switch
                {
                    StorageAccountSpec s => s.PublicAddress,
                    SecretStoreSpec s => s.PublicAddress,
                    RegistrySpec s => s.PublicAddress,
                    _ => null,
                };
                if (text is not null && Sluice.Network.Addressing.IpPrefix.Parse(text).NetworkAddress.Equals(address))
                {
                    return new CorePrivateLinkTarget(kind, spec.Name);
                }
            }
        }

        return null;
    }

    /// <summary>A host name: the private endpoints whose DNS records have it, or the service whose public name it is.</summary>
    private static (CorePrivateLinkTarget Target, string GroupId, IReadOnlyList<string>? Endpoints)? FindHostName(WorkspaceNetworkModel network, string name)
    {
        var matches = HostNames(network).Where(h => string.Equals(h.Name, name.TrimEnd('.'), StringComparison.OrdinalIgnoreCase)).ToList();
        if (matches.Count == 0)
        {
            return null;
        }

        var first = matches[0];
        var endpoints = matches.Where(m => m.Endpoint is not null && m.Target == first.Target && m.GroupId == first.GroupId).Select(m => m.Endpoint!).ToList();
        var isPublicName = matches.Exists(m => m.Endpoint is null && m.Target == first.Target && m.GroupId == first.GroupId);
        return (first.Target, first.GroupId, isPublicName ? null : endpoints);
    }

    /// <summary>Every host name the workspace's network answers for: private endpoint records, and each service's public names.</summary>
    private static IEnumerable<(string Name, CorePrivateLinkTarget Target, string GroupId, string? Endpoint)> HostNames(WorkspaceNetworkModel network)
    {
        var location = network.Specs.Workspace.Location ?? NetworkModelMapping.DefaultLocation;
        foreach (var endpoint in network.Specs.All(ResourceKind.PrivateEndpoint).OfType<PrivateEndpointSpec>().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            var connection = endpoint.PrivateLinkServiceConnection;
            foreach (var record in PrivateLinkDns.Effective(endpoint, endpoint.Location ?? location))
            {
                yield return (record.Fqdn, connection.Target, connection.GroupId.ToLowerInvariant(), endpoint.Name);
                if (record.PrivateLinkFqdn is { } alias)
                {
                    yield return (alias, connection.Target, connection.GroupId.ToLowerInvariant(), endpoint.Name);
                }
            }
        }

        IEnumerable<(PrivateLinkTargetKind, ResourceSpec)> services =
        [
            .. network.Specs.All(ResourceKind.StorageAccount).Select(s => (PrivateLinkTargetKind.StorageAccount, s)),
            .. network.Specs.All(ResourceKind.SecretStore).Select(s => (PrivateLinkTargetKind.SecretStore, s)),
            .. network.Specs.All(ResourceKind.Registry).Select(s => (PrivateLinkTargetKind.Registry, s)),
            (PrivateLinkTargetKind.Workspace, network.Specs.Workspace),
        ];
        foreach (var (kind, spec) in services.OrderBy(s => s.Item2.Name, StringComparer.Ordinal))
        {
            var target = new CorePrivateLinkTarget(kind, spec.Name);
            foreach (var group in CorePrivateLinkTarget.GroupIds(kind))
            {
                foreach (var record in PrivateLinkDns.Derive(new PrivateLinkServiceConnectionSpec { Target = target, GroupId = group }, [], LocationOf(network, spec, location)))
                {
                    yield return (record.Fqdn, target, group, null);
                }
            }
        }
    }

    private static string PublicName(WorkspaceNetworkModel network, CorePrivateLinkTarget target, string group)
    {
        var location = network.Specs.Workspace.Location ?? NetworkModelMapping.DefaultLocation;
        var spec = network.Specs.Find(target.ResourceKind, target.Name);
        return PrivateLinkDns.Derive(new PrivateLinkServiceConnectionSpec { Target = target, GroupId = group }, [], spec is null ? location : LocationOf(network, spec, location))[0].Fqdn;
    }

    private static string LocationOf(WorkspaceNetworkModel network, ResourceSpec spec, string fallback) => spec switch
    {
        NetworkResourceSpec n => n.Location ?? fallback,
        WorkspaceSpec w => w.Location ?? network.Specs.Workspace.Location ?? fallback,
        _ => fallback,
    };

    private static (VirtualNetwork Network, Subnet Subnet)? SubnetContaining(NetworkModel model, IPAddress address)
    {
        foreach (var vnet in model.VirtualNetworks)
        {
            foreach (var subnet in vnet.Subnets)
            {
                if (subnet.AddressPrefixes.Any(p => Sluice.Network.Addressing.IpPrefix.Parse(p).Contains(address)))
                {
                    return (vnet, subnet);
                }
            }
        }

        return null;
    }

    private static (VirtualNetwork Network, Subnet Subnet)? FindSubnet(NetworkModel model, string virtualNetwork, string subnet) =>
        model.FindVirtualNetwork(virtualNetwork) is { } vnet && vnet.Subnets.FirstOrDefault(s => string.Equals(s.Name, subnet, StringComparison.OrdinalIgnoreCase)) is { } found
            ? (vnet, found)
            : null;

    private static IEnumerable<IPAddress> Addresses(NetworkInterface nic) =>
        new[] { nic.PrivateIpAddress }.Concat(nic.SecondaryPrivateIpAddresses).Select(IPAddress.Parse);

    /// <summary>The address of the wanted family, else the first.</summary>
    private static IPAddress Pick(IEnumerable<IPAddress> addresses, System.Net.Sockets.AddressFamily family)
    {
        var all = addresses.ToList();
        return all.Find(a => a.AddressFamily == family) ?? all[0];
    }

    private static CorePrivateLinkTarget TargetOf(PrivateEndpoint endpoint) =>
        EnumNames<PrivateLinkTargetKind>.TryParse(endpoint.Target.Kind, out var kind)
            ? new CorePrivateLinkTarget(kind, endpoint.Target.Name)
            : new CorePrivateLinkTarget(PrivateLinkTargetKind.Workspace, endpoint.Target.Name);

    private static string Label(string input, string name) => string.Equals(input, name, StringComparison.OrdinalIgnoreCase) ? name : $"{input} ({name})";

    internal static string GroupName(PrivateEndpointGroupId group) => group.ToString().ToLowerInvariant();

    internal static string Describe(CorePrivateLinkTarget target) => $"{KindName(target.Kind)} {target.Name}";

    private static string KindName(PrivateLinkTargetKind kind) => EnumNames<PrivateLinkTargetKind>.ToName(kind).Replace('_', ' ');

    private static string CommandOf(PrivateLinkTargetKind kind) => kind == PrivateLinkTargetKind.Workspace ? "workspace" : EnumNames<PrivateLinkTargetKind>.ToName(kind).Replace('_', '-');

    private static string Capitalized(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    private static string List(IEnumerable<string> names)
    {
        var all = names.ToList();
        return all.Count == 0 ? "none" : all.Count <= 30 ? string.Join(", ", all) : $"{string.Join(", ", all.Take(30))} and {all.Count - 30} more";
    }
}
