using Sluice.Network.Model;

namespace Sluice.Network.Diagnostics;

/// <summary>
/// DNS of the private endpoints the workspace depends on: each must answer for the service's public name (directly or
/// through its privatelink alias), or clients keep resolving the public address; and two endpoints must not claim one name.
/// </summary>
internal static class DnsChecks
{
    public static void Check(DiagnosisContext context)
    {
        List<(PrivateEndpoint Endpoint, string Resource, string Location)> endpoints =
            [.. context.EndpointsTo(context.Workspace.Name, PrivateEndpointGroupId.AmlWorkspace).Select(e => (e, $"workspace:{context.Workspace.Name}", context.Workspace.Location))];
        foreach (var service in ServiceInUse.Of(context))
        {
            var location = service.Facts?.Location ?? context.Workspace.Location;
            endpoints.AddRange(context.EndpointsTo(service.Name, [.. service.Kind.GroupIds]).Select(e => (e, service.Resource, location)));
        }

        foreach (var (endpoint, resource, location) in endpoints)
        {
            Records(context, endpoint, resource, location);
        }

        Conflicts(context, [.. endpoints.Select(e => e.Endpoint).Where(e => e.ConnectionState == PrivateEndpointConnectionState.Approved)]);
    }

    private static void Records(DiagnosisContext context, PrivateEndpoint endpoint, string resource, string location)
    {
        var expected = ExpectedNames(endpoint, DiagnosisContext.Normalize(location));
        var published = new HashSet<string>(endpoint.Fqdns.Select(f => f.TrimEnd('.')), StringComparer.OrdinalIgnoreCase);
        var missing = expected.Where(n => !published.Contains(n.Name) && !published.Contains(n.PrivateLinkName)).ToList();
        if (missing.Count == 0)
        {
            return;
        }

        var address = PrivateLinkChecks.Address(endpoint);
        var records = string.Join(", ", missing.Select(n => $"{n.Name} -> {address} (zone {n.Zone})"));
        var names = string.Join(" and ", missing.Select(n => n.Name));
        var problem = endpoint.Fqdns.Count == 0
            ? "publishes no DNS records"
            : $"does not answer for {names} (its records: {string.Join(", ", endpoint.Fqdns)})";
        context.Report(DiagnosisGroup.DnsResolution, DiagnosisCodes.PrivateEndpointDnsRecordsMissing, FindingLevel.Warning, $"private_endpoint:{endpoint.Name}",
            $"Private endpoint {endpoint.Name} (group {ServiceKind.GroupIdText(endpoint.GroupId)} of {resource}) {problem}, so {names} still {(missing.Count == 1 ? "resolves" : "resolve")} to the public address: traffic bypasses the endpoint, and fails when public access is disabled. " +
            $"Fix: add the records {records} in a private DNS zone linked to the computes' networks, or list them in the endpoint's custom_dns_configs.");
    }

    private static void Conflicts(DiagnosisContext context, List<PrivateEndpoint> endpoints)
    {
        var byName = new Dictionary<string, List<PrivateEndpoint>>(StringComparer.OrdinalIgnoreCase);
        foreach (var endpoint in endpoints)
        {
            foreach (var fqdn in endpoint.Fqdns.Select(f => f.TrimEnd('.')).Distinct(StringComparer.OrdinalIgnoreCase))
            {
                if (!byName.TryGetValue(fqdn, out var list))
                {
                    byName[fqdn] = list = [];
                }

                list.Add(endpoint);
            }
        }

        foreach (var (fqdn, claimants) in byName.Where(p => p.Value.Count > 1))
        {
            context.Report(DiagnosisGroup.DnsResolution, DiagnosisCodes.PrivateEndpointDnsConflict, FindingLevel.Warning, $"private_endpoint:{claimants[1].Name}",
                $"Private endpoints {string.Join(" and ", claimants.Select(e => $"{e.Name} ({e.VirtualNetwork}, {PrivateLinkChecks.Address(e)})"))} both answer for {fqdn}; a private DNS zone holds one record for a name, so every network linked to it reaches only one of them. " +
                $"Fix: keep one endpoint per resource and sub-resource and reach it through peering, or link each network to its own private DNS zone.");
        }
    }

    /// <summary>The names Azure creates for an endpoint: the public name, its privatelink alias and the zone the alias lives in.</summary>
    private static IReadOnlyList<(string Name, string PrivateLinkName, string Zone)> ExpectedNames(PrivateEndpoint endpoint, string location)
    {
        var name = endpoint.Target.Name.ToLowerInvariant();
        var group = ServiceKind.GroupIdText(endpoint.GroupId);
        return endpoint.GroupId switch
        {
            PrivateEndpointGroupId.Vault => [($"{name}.vault.azure.net", $"{name}.privatelink.vaultcore.azure.net", "privatelink.vaultcore.azure.net")],
            PrivateEndpointGroupId.Registry =>
            [
                ($"{name}.azurecr.io", $"{name}.privatelink.azurecr.io", "privatelink.azurecr.io"),
                ($"{name}.{location}.data.azurecr.io", $"{name}.{location}.data.privatelink.azurecr.io", "privatelink.azurecr.io"),
            ],
            PrivateEndpointGroupId.AmlWorkspace => [($"{name}.workspace.{location}.api.azureml.ms", $"{name}.workspace.{location}.privatelink.api.azureml.ms", "privatelink.api.azureml.ms")],
            _ => [($"{name}.{group}.core.windows.net", $"{name}.privatelink.{group}.core.windows.net", $"privatelink.{group}.core.windows.net")],
        };
    }
}
