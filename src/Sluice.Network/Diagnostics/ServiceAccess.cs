using Sluice.Network.Model;
using Sluice.Network.Verification;

namespace Sluice.Network.Diagnostics;

/// <summary>How a compute's nodes fare towards a service's approved private endpoints, as the engine evaluates it.</summary>
internal sealed record ServiceAccess(ServiceInUse Service, IReadOnlyList<(PrivateEndpoint Endpoint, FlowVerdict Verdict)> Endpoints)
{
    public const int Port = 443;

    /// <summary>The first endpoint the nodes reach (routed to it, allowed by every group on the way); null when none.</summary>
    public PrivateEndpoint? Reached => Endpoints.FirstOrDefault(e => e.Verdict.Outcome == FlowOutcome.Delivered).Endpoint;

    /// <summary>
    /// Verifies TCP 443 from the compute's nodes to the first address of each approved endpoint of the service's main
    /// sub-resource (blob, vault, registry). Computed once per compute and service.
    /// </summary>
    public static ServiceAccess Of(DiagnosisContext context, ComputePlacement placement, ServiceInUse service)
    {
        if (context.AccessCache.TryGetValue((placement, service.Resource), out var cached))
        {
            return cached;
        }

        List<(PrivateEndpoint, FlowVerdict)> verdicts = [];
        foreach (var endpoint in context.EndpointsTo(service.Name, service.Kind.AccessGroup).Where(e => e.ConnectionState == PrivateEndpointConnectionState.Approved))
        {
            if (context.VerifyFrom(placement, PrivateLinkChecks.Address(endpoint), FlowProtocol.Tcp, Port) is { } verdict)
            {
                verdicts.Add((endpoint, verdict));
            }
        }

        var access = new ServiceAccess(service, verdicts);
        context.AccessCache[(placement, service.Resource)] = access;
        return access;
    }
}
