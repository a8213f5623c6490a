namespace Sluice.Network.Diagnostics;

/// <summary>Batch endpoints keep the network mode their workspace had when they were created.</summary>
internal static class EndpointChecks
{
    public static void Check(DiagnosisContext context)
    {
        var current = context.IsPrivateWorkspace ? EndpointNetworkMode.Private : EndpointNetworkMode.Public;
        foreach (var endpoint in context.Input.BatchEndpoints.Where(e => e.NetworkMode != current))
        {
            context.Report(DiagnosisGroup.Other, DiagnosisCodes.EndpointNetworkModeDiffers, FindingLevel.Information, $"batch_endpoint:{endpoint.Name}",
                $"Batch endpoint {endpoint.Name} is {endpoint.NetworkMode.ToString().ToLowerInvariant()}: it took that mode from workspace {context.Workspace.Name} when it was created, and the workspace is now {current.ToString().ToLowerInvariant()} (public network access {context.Workspace.PublicNetworkAccess}). " +
                $"Endpoints keep the mode they were created with. Fix: delete and recreate batch endpoint {endpoint.Name} (and its deployments) to pick up the workspace's current mode.");
        }
    }
}
