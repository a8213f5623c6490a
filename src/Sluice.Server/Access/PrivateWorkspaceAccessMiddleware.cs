using System.Net;
using Microsoft.AspNetCore.Http;
using Sluice.Core.Diagnostics;

namespace Sluice.Server.Access;

/// <summary>
/// Applies <see cref="PrivateWorkspaceAccess"/> to a workspace's data plane: batch endpoint invocation and job lists,
/// jobs, datastores (their files) and assets. The management plane stays reachable from anywhere, as Azure's resource
/// manager does: the workspace itself, endpoint and deployment definitions, computes, network resources and the network
/// questions — so an operator outside can still diagnose and fix the network, or make the workspace public again.
/// </summary>
public sealed class PrivateWorkspaceAccessMiddleware(RequestDelegate next)
{
    private static readonly HashSet<string> DataPlane = new(StringComparer.OrdinalIgnoreCase)
    {
        "jobs", "datastores", "data", "models", "environments", "components",
    };

    public async Task InvokeAsync(HttpContext context, PrivateWorkspaceAccess access)
    {
        var segments = context.Request.Path.Value?.Split('/', StringSplitOptions.RemoveEmptyEntries) ?? [];
        // A batch endpoint's definition (and its deployments') is management; its invocation and jobs are data.
        var invocation = segments.Length >= 5 && segments[2] == "batchEndpoints" && segments[4] == "jobs";
        if (segments.Length >= 3 && segments[0] == "workspaces" && (invocation || DataPlane.Contains(segments[2])))
        {
            var workspace = Uri.UnescapeDataString(segments[1]);
            var endpoint = invocation ? Uri.UnescapeDataString(segments[3]) : null;
            var caller = context.Connection.RemoteIpAddress ?? IPAddress.None;
            var decision = await access.DecideAsync(workspace, endpoint, caller, context.RequestAborted);
            if (!decision.Allowed)
            {
                throw SluiceException.Forbidden(decision.Reason, decision.WayIn);
            }
        }

        await next(context);
    }
}
