using System.Diagnostics.CodeAnalysis;
using Sluice.Network.Tags;
using Sluice.Network.Validation;

namespace Sluice.Network.Model;

/// <summary>
/// Collects the resources of a network description and validates them together, reporting every problem at once
/// (unknown references, subnets outside their network, overlaps, duplicate priorities, unknown tags, …).
/// </summary>
public sealed class NetworkModelBuilder
{
    internal List<VirtualNetwork> VirtualNetworks { get; } = [];

    internal List<NetworkSecurityGroup> NetworkSecurityGroups { get; } = [];

    internal List<RouteTable> RouteTables { get; } = [];

    internal List<NatGateway> NatGateways { get; } = [];

    internal List<ApplicationSecurityGroup> ApplicationSecurityGroups { get; } = [];

    internal List<NetworkInterface> NetworkInterfaces { get; } = [];

    internal List<PrivateEndpoint> PrivateEndpoints { get; } = [];

    internal ServiceTagSet ServiceTags { get; private set; } = ServiceTagSet.Default;

    public NetworkModelBuilder Add(VirtualNetwork virtualNetwork) => Append(VirtualNetworks, virtualNetwork);

    public NetworkModelBuilder Add(NetworkSecurityGroup networkSecurityGroup) => Append(NetworkSecurityGroups, networkSecurityGroup);

    public NetworkModelBuilder Add(RouteTable routeTable) => Append(RouteTables, routeTable);

    public NetworkModelBuilder Add(NatGateway natGateway) => Append(NatGateways, natGateway);

    public NetworkModelBuilder Add(ApplicationSecurityGroup applicationSecurityGroup) => Append(ApplicationSecurityGroups, applicationSecurityGroup);

    public NetworkModelBuilder Add(NetworkInterface networkInterface) => Append(NetworkInterfaces, networkInterface);

    public NetworkModelBuilder Add(PrivateEndpoint privateEndpoint) => Append(PrivateEndpoints, privateEndpoint);

    /// <summary>The tags rules and routes may name; <see cref="ServiceTagSet.Default"/> unless set.</summary>
    public NetworkModelBuilder WithServiceTags(ServiceTagSet serviceTags)
    {
        ServiceTags = serviceTags ?? throw new ArgumentNullException(nameof(serviceTags));
        return this;
    }

    /// <summary>Validates and builds; on failure <paramref name="errors"/> lists every problem and no model is made.</summary>
    public bool TryBuild([NotNullWhen(true)] out NetworkModel? model, out IReadOnlyList<NetworkModelError> errors)
    {
        errors = NetworkModelValidator.Validate(this);
        model = errors.Count == 0 ? new NetworkModel(this) : null;
        return model is not null;
    }

    /// <summary>Validates and builds; throws <see cref="NetworkModelException"/> listing every problem.</summary>
    public NetworkModel Build() =>
        TryBuild(out var model, out var errors) ? model : throw new NetworkModelException(errors);

    private NetworkModelBuilder Append<T>(List<T> list, T item)
    {
        ArgumentNullException.ThrowIfNull(item);
        list.Add(item);
        return this;
    }
}
