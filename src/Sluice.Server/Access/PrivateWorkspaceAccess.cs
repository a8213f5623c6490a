using System.Net;
using Microsoft.EntityFrameworkCore;
using Sluice.Core.Diagnostics;
using Sluice.Core.Specs;
using Sluice.Core.Specs.Network;
using Sluice.Data.Network;
using Sluice.Data.Store;
using Sluice.Network.Addressing;
using Sluice.Network.Model;
using Sluice.Network.Verification;
using Sluice.Server.BatchEndpoints;

namespace Sluice.Server.Access;

/// <summary>Where a caller stands with a private workspace, and why.</summary>
public sealed record AccessDecision(bool Allowed, string Reason, string? WayIn = null);

/// <summary>
/// Application-level enforcement of a private workspace, as Azure ML's private link does it: a request is served only
/// when its source address lies in a network that reaches the workspace through an approved private endpoint (group
/// <c>amlworkspace</c>) — the endpoint's virtual network, networks peered with it both ways, and the on-premises
/// prefixes its gateway connects — and the endpoint's security rules let the caller in. Batch endpoints keep the
/// network mode they were created with: one created while the workspace was public stays invocable from anywhere.
/// </summary>
public sealed class PrivateWorkspaceAccess(IDbContextFactory<SluiceDbContext> factory, WorkspaceNetworkModels models)
{
    /// <summary>The TCP port a workspace's private endpoint serves (HTTPS).</summary>
    private const int WorkspacePort = 443;

    public async Task<AccessDecision> DecideAsync(string workspace, string? batchEndpoint, IPAddress caller, CancellationToken cancellationToken)
    {
        if (caller.IsIPv4MappedToIPv6)
        {
            caller = caller.MapToIPv4();
        }

        // Most workspaces are public: one small query decides, and only private ones pay for the network model.
        if (await WorkspaceModeAsync(workspace, cancellationToken) is not NetworkMode.Private)
        {
            return new AccessDecision(true, "the workspace is public (or does not exist: the route answers that)");
        }

        var network = await models.GetAsync(workspace, cancellationToken: cancellationToken);
        if (network is null)
        {
            return new AccessDecision(true, "the workspace does not exist");
        }

        if (batchEndpoint is not null && await EndpointModeAsync(workspace, batchEndpoint, cancellationToken) is NetworkMode.Public)
        {
            return new AccessDecision(true, $"batch endpoint '{batchEndpoint}' was created while the workspace was public and keeps that mode");
        }

        var publicFix = $"or make the workspace public: sluice workspace update -n {workspace} --set public_network_access=Enabled";
        if (network.Model is null || network.Compiled is null)
        {
            return new AccessDecision(false,
                $"Workspace '{workspace}' is private and its network model does not build ({string.Join("; ", network.Errors.Take(3).Select(e => $"{e.Path}: {e.Message}"))}), so no caller can be placed inside it.",
                $"Fix the network resources (sluice workspace diagnose -n {workspace}), {publicFix}.");
        }

        var endpoints = network.Model.PrivateEndpoints
            .Where(e => e.GroupId == PrivateEndpointGroupId.AmlWorkspace && e.Target.Name == workspace && e.Target.Kind == "workspace")
            .ToList();
        var approved = endpoints.Where(e => e.ConnectionState == PrivateEndpointConnectionState.Approved && e.PrivateIpAddresses.Count > 0).ToList();
        if (approved.Count == 0)
        {
            var pending = endpoints.Count == 0 ? string.Empty : $" ({string.Join(", ", endpoints.Select(e => $"{e.Name} is {e.ConnectionState}"))})";
            return new AccessDecision(false,
                $"Workspace '{workspace}' is private and has no approved private endpoint{pending}: nothing can reach it.",
                $"Create a private endpoint with target workspace:{workspace} and group_id amlworkspace in a subnet your callers reach, {publicFix}.");
        }

        var ways = new List<string>();
        foreach (var endpoint in approved)
        {
            var reach = Reach(network.Specs, endpoint.VirtualNetwork);
            var inside = reach.FirstOrDefault(r => r.Prefixes.Any(p => IpPrefix.TryParse(p, out var prefix, out _) && prefix.Contains(caller)));
            var endpointIp = IPAddress.Parse(endpoint.PrivateIpAddresses[0]);
            ways.Add($"{string.Join(", ", reach.Select(r => $"{r.Label} ({string.Join(", ", r.Prefixes)})"))} through private endpoint {endpoint.Name} ({endpointIp})");
            if (inside.Label is null || endpointIp.AddressFamily != caller.AddressFamily)
            {
                continue;
            }

            var verdict = network.Compiled.Verify(new FlowRequest { SourceAddress = caller, DestinationAddress = endpointIp, DestinationPort = WorkspacePort });
            if (verdict.Access == Sluice.Network.Model.SecurityRuleAccess.Allow)
            {
                return new AccessDecision(true, $"{caller} is in {inside.Label}, which reaches workspace '{workspace}' through private endpoint {endpoint.Name}");
            }

            return new AccessDecision(false,
                $"Workspace '{workspace}' is private; {caller} is in {inside.Label}, but traffic to private endpoint {endpoint.Name} ({endpointIp}:{WorkspacePort}) is denied{(verdict.DecidingRule is { } rule ? $" by {rule}" : $" ({verdict.Outcome})")}.",
                $"Allow TCP {WorkspacePort} from {caller} to {endpointIp} in that security group (see sluice network verify-flow), {publicFix}.");
        }

        return new AccessDecision(false,
            $"Workspace '{workspace}' is private and {caller} is outside every network that reaches it: {string.Join("; ", ways)}.",
            $"Call from inside one of those networks (a machine in the virtual network, a peered network, or a site behind its gateway), {publicFix}.");
    }

    /// <summary>The networks whose addresses reach a virtual network: itself, networks peered both ways, and the on-premises prefixes its gateway connects.</summary>
    private static List<(string Label, IReadOnlyList<string> Prefixes)> Reach(WorkspaceNetwork specs, string virtualNetwork)
    {
        var reach = new List<(string, IReadOnlyList<string>)>();
        if (specs.Find(ResourceKind.VirtualNetwork, virtualNetwork) is not VirtualNetworkSpec vnet)
        {
            return reach;
        }

        reach.Add(($"virtual network {vnet.Name}", vnet.AddressSpace));
        foreach (var remote in specs.ConnectedPeers(vnet.Name))
        {
            reach.Add(($"peered virtual network {remote.Name}", remote.AddressSpace));
        }

        if (vnet.Gateway is { AddressPrefixes.Count: > 0 } gateway)
        {
            reach.Add(($"the on-premises networks behind {vnet.Name}'s gateway", gateway.AddressPrefixes));
        }

        return reach;
    }

    private async Task<NetworkMode?> WorkspaceModeAsync(string workspace, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var json = await db.Workspaces.AsNoTracking().Where(w => w.Name == workspace).Select(w => w.SpecJson).FirstOrDefaultAsync(cancellationToken);
        return json is null ? null : Core.Serialization.SpecCodec.Decode<WorkspaceSpec>(ResourceKind.Workspace, json).NetworkMode;
    }

    private async Task<NetworkMode?> EndpointModeAsync(string workspace, string endpoint, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var kind = ResourceKind.BatchEndpoint.ToString();
        var system = await db.Resources.AsNoTracking()
            .Where(r => r.Workspace == workspace && r.Kind == kind && r.Name == endpoint && r.Parent == string.Empty)
            .Select(r => r.SystemJson)
            .FirstOrDefaultAsync(cancellationToken);
        var mode = system is null ? null : (string?)System.Text.Json.Nodes.JsonNode.Parse(system)?[BatchEndpointService.NetworkModeKey];
        return mode is not null && Core.Yaml.EnumNames<NetworkMode>.TryParse(mode, out var parsed) ? parsed : null;
    }
}
