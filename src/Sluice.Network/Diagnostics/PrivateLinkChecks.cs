using System.Net;
using Sluice.Network.Addressing;
using Sluice.Network.Model;

namespace Sluice.Network.Diagnostics;

/// <summary>
/// Private endpoints of the workspace and its services: the workspace's own endpoint, the four storage endpoints batch
/// deployments need, connections that are not approved, services a private workspace reaches only publicly (or not
/// at all), and registries with quarantine.
/// </summary>
internal static class PrivateLinkChecks
{
    /// <summary>Azure: batch deployments of a private workspace need all four; Sluice reads and writes datastores through blob only.</summary>
    private static readonly PrivateEndpointGroupId[] AzureStorageGroups = [PrivateEndpointGroupId.Blob, PrivateEndpointGroupId.File, PrivateEndpointGroupId.Queue, PrivateEndpointGroupId.Table];

    public static void Check(DiagnosisContext context)
    {
        var vantage = Vantage(context);
        WorkspaceEndpoint(context);
        foreach (var service in ServiceInUse.Of(context))
        {
            if (service.Facts is null)
            {
                context.Report(service.Kind.Group, DiagnosisCodes.ServiceNotDescribed, FindingLevel.Information, service.Resource,
                    $"Workspace {context.Workspace.Name} uses {service.Kind.Noun} {service.Name}, but it is not described, so how it is reached was not checked. Fix: create the {service.Kind.ResourceKind} resource '{service.Name}'.");
                continue;
            }

            var endpoints = context.EndpointsTo(service.Name, [.. service.Kind.GroupIds]).ToList();
            NotApproved(context, service.Kind.Group, service.Resource, endpoints);
            if (service.Facts is RegistryFacts { Quarantine: true })
            {
                context.Report(DiagnosisGroup.ContainerRegistry, DiagnosisCodes.RegistryQuarantineUnsupported, FindingLevel.Error, service.Resource,
                    $"Registry {service.Name} has quarantine enabled: batch deployments do not support registries with quarantine, so their images cannot be pulled. Fix: disable quarantine on registry {service.Name} (quarantine: false), or give the workspace a registry without it.");
            }

            if (service.Kind == ServiceKind.Storage && context.IsPrivateWorkspace)
            {
                var groups = context.Rules == DiagnosisRules.Azure ? AzureStorageGroups : [PrivateEndpointGroupId.Blob];
                foreach (var group in groups)
                {
                    RequiredStorageGroup(context, service, endpoints, group, vantage);
                }
            }

            Exposure(context, service, endpoints, vantage);
        }
    }

    /// <summary>Where the workspace's traffic comes from: the computes' subnets and the subnets of the workspace's approved private endpoints.</summary>
    private static List<(VirtualNetwork Network, Subnet Subnet)> Vantage(DiagnosisContext context)
    {
        List<(VirtualNetwork, Subnet)> vantage = [.. context.Placements.Select(p => (p.Network, p.Subnet))];
        foreach (var endpoint in context.EndpointsTo(context.Workspace.Name, PrivateEndpointGroupId.AmlWorkspace).Where(e => e.ConnectionState == PrivateEndpointConnectionState.Approved))
        {
            var network = context.Model.FindVirtualNetwork(endpoint.VirtualNetwork)!;
            vantage.Add((network, network.Subnets.First(s => string.Equals(s.Name, endpoint.Subnet, StringComparison.OrdinalIgnoreCase))));
        }

        return [.. vantage.DistinctBy(v => $"{v.Item1.Name}/{v.Item2.Name}".ToLowerInvariant())];
    }

    /// <summary>Whether the endpoint's address is routed to it from one of the vantage subnets (any subnet when there are none).</summary>
    private static bool Reachable(DiagnosisContext context, PrivateEndpoint endpoint, List<(VirtualNetwork Network, Subnet Subnet)> vantage) =>
        vantage.Count == 0 || vantage.Exists(v =>
            context.Network.NextHop(v.Network.Name, v.Subnet.Name, Address(endpoint)).Route is { NextHopType: NextHopType.InterfaceEndpoint } route &&
            string.Equals(route.Target, endpoint.Name, StringComparison.OrdinalIgnoreCase));

    internal static IPAddress Address(PrivateEndpoint endpoint)
    {
        var addresses = endpoint.PrivateIpAddresses.Select(a => IpPrefix.Parse(a).NetworkAddress).ToList();
        return addresses.Find(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork) ?? addresses[0];
    }

    /// <summary>Where a new private endpoint should go: beside the workspace's endpoint, else in a compute's subnet.</summary>
    internal static string SuggestedSubnet(DiagnosisContext context)
    {
        var workspaceEndpoint = context.EndpointsTo(context.Workspace.Name, PrivateEndpointGroupId.AmlWorkspace).FirstOrDefault();
        return workspaceEndpoint is not null ? $"subnet {workspaceEndpoint.VirtualNetwork}/{workspaceEndpoint.Subnet}"
            : context.Placements.Count > 0 ? $"subnet {context.Placements[0].Path}"
            : "a subnet of the workspace's virtual network";
    }

    private static string VantageText(List<(VirtualNetwork Network, Subnet Subnet)> vantage) =>
        vantage.Count == 0 ? "any network" : string.Join(", ", vantage.Select(v => $"{v.Network.Name}/{v.Subnet.Name}"));

    private static void WorkspaceEndpoint(DiagnosisContext context)
    {
        var name = context.Workspace.Name;
        var endpoints = context.EndpointsTo(name, PrivateEndpointGroupId.AmlWorkspace).ToList();
        NotApproved(context, DiagnosisGroup.Other, $"workspace:{name}", endpoints);
        if (context.IsPrivateWorkspace && endpoints.Count == 0)
        {
            context.Report(DiagnosisGroup.Other, DiagnosisCodes.WorkspacePrivateEndpointMissing, FindingLevel.Error, $"workspace:{name}",
                $"Workspace {name} is private (public network access Disabled) but has no private endpoint, so neither clients nor computes can reach it. Fix: create a private endpoint in {SuggestedSubnet(context)} with target workspace:{name} and group_id amlworkspace.");
        }
    }

    private static void NotApproved(DiagnosisContext context, DiagnosisGroup group, string resource, List<PrivateEndpoint> endpoints)
    {
        foreach (var endpoint in endpoints.Where(e => e.ConnectionState != PrivateEndpointConnectionState.Approved))
        {
            var groupId = ServiceKind.GroupIdText(endpoint.GroupId);
            var sibling = endpoints.Find(o => o.GroupId == endpoint.GroupId && o.ConnectionState == PrivateEndpointConnectionState.Approved);
            var fix = endpoint.ConnectionState == PrivateEndpointConnectionState.Disconnected
                ? $"delete private endpoint {endpoint.Name} and create it again, then approve its connection on {resource}"
                : $"approve the connection of private endpoint {endpoint.Name} on {resource}";
            context.Report(group, DiagnosisCodes.PrivateEndpointNotApproved, sibling is null ? FindingLevel.Error : FindingLevel.Warning, $"private_endpoint:{endpoint.Name}",
                $"Private endpoint {endpoint.Name} (group {groupId} of {resource}, in subnet {endpoint.VirtualNetwork}/{endpoint.Subnet}) is {endpoint.ConnectionState}: traffic through it does not reach {resource} until the connection is approved" +
                (sibling is null ? "." : $"; meanwhile approved endpoint {sibling.Name} serves group {groupId}.") + $" Fix: {fix}.");
        }
    }

    private static void RequiredStorageGroup(DiagnosisContext context, ServiceInUse service, List<PrivateEndpoint> endpoints, PrivateEndpointGroupId group, List<(VirtualNetwork Network, Subnet Subnet)> vantage)
    {
        var ofGroup = endpoints.Where(e => e.GroupId == group).ToList();
        var approved = ofGroup.Where(e => e.ConnectionState == PrivateEndpointConnectionState.Approved).ToList();
        if (approved.Exists(e => Reachable(context, e, vantage)) || ofGroup.Count > approved.Count)
        {
            return; // fine, or already reported as not approved
        }

        var groupId = ServiceKind.GroupIdText(group);
        var why = context.Rules == DiagnosisRules.Azure
            ? "batch deployments of a private workspace need private endpoints for blob, file, queue and table"
            : "Sluice's nodes read and write its datastores through blob";
        var problem = approved.Count == 0
            ? $"has no private endpoint for group {groupId}"
            : $"has private endpoints for group {groupId} ({string.Join(", ", approved.Select(e => e.Name))}) but none is routed from the workspace's networks ({VantageText(vantage)})";
        context.Report(DiagnosisGroup.StorageAccount, DiagnosisCodes.PrivateEndpointMissingFor(group), FindingLevel.Error, service.Resource,
            $"Workspace {context.Workspace.Name} is private, but storage account {service.Name} {problem}; {why}. Fix: create a private endpoint in {SuggestedSubnet(context)} with target {service.Resource} and group_id {groupId}" +
            (approved.Count == 0 ? "." : ", or peer its network with the networks that hold the existing endpoints."));
    }

    private static void Exposure(DiagnosisContext context, ServiceInUse service, List<PrivateEndpoint> endpoints, List<(VirtualNetwork Network, Subnet Subnet)> vantage)
    {
        if (endpoints.Exists(e => e.ConnectionState == PrivateEndpointConnectionState.Approved && Reachable(context, e, vantage)))
        {
            return;
        }

        var groupId = ServiceKind.GroupIdText(service.Kind.AccessGroup);
        var create = $"create a private endpoint in {SuggestedSubnet(context)} with target {service.Resource} and group_id {groupId}";
        if (service.Facts!.PublicNetworkAccess == PublicNetworkAccess.Disabled)
        {
            context.Report(service.Kind.Group, DiagnosisCodes.ServiceUnreachable, FindingLevel.Error, service.Resource,
                $"{Capitalize(service.Kind.Noun)} {service.Name} has public network access Disabled and no approved private endpoint routed from the workspace's networks ({VantageText(vantage)}), so nothing the workspace runs can reach it. Fix: {create}" +
                (endpoints.Count > 0 ? $" (or approve the connections of {string.Join(", ", endpoints.Select(e => e.Name))})." : "."));
        }
        else if (context.IsPrivateWorkspace)
        {
            context.Report(service.Kind.Group, DiagnosisCodes.ReachableOnlyPublicly, FindingLevel.Error, service.Resource,
                $"Workspace {context.Workspace.Name} is private, but {service.Kind.Noun} {service.Name} is reachable only over its public endpoint (public network access Enabled, no approved private endpoint routed from {VantageText(vantage)}). Fix: {create}, then set public_network_access Disabled on {service.Resource}.");
        }
    }

    private static string Capitalize(string text) => string.Concat(text[..1].ToUpperInvariant(), text[1..]);
}
