using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Sluice.Core.Specs;
using Sluice.Cluster.Compute;
using Sluice.Core.Diagnostics;
using Sluice.Server.Api;

namespace Sluice.Server.Resources;

/// <summary>Routes for versioned assets (models, data, environments, components) and compute clusters.</summary>
public static class ResourceEndpoints
{
    public static IEndpointRouteBuilder MapAssetEndpoints(this IEndpointRouteBuilder routes, ResourceKind kind)
    {
        var group = routes.MapGroup($"/workspaces/{{ws}}/{ResourceViews.Collection(kind)}").WithTags(ResourceViews.Collection(kind));

        group.MapGet("/", async (string ws, [FromQuery(Name = "include_archived")] bool? includeArchived, AssetService assets, CancellationToken ct) =>
            List(await assets.ListAsync(ws, kind, null, includeArchived ?? false, ct)));

        group.MapGet("/{name}", async (string ws, string name, AssetService assets, CancellationToken ct) =>
            TypedResults.Ok(ResourceViews.Render(await assets.GetAsync(ws, kind, name, null, ct))));

        group.MapGet("/{name}/versions", async (string ws, string name, [FromQuery(Name = "include_archived")] bool? includeArchived, AssetService assets, CancellationToken ct) =>
            List(await assets.ListAsync(ws, kind, name, includeArchived ?? false, ct)));

        group.MapGet("/{name}/versions/{version}", async (string ws, string name, string version, AssetService assets, CancellationToken ct) =>
            TypedResults.Ok(ResourceViews.Render(await assets.GetAsync(ws, kind, name, version, ct))));

        // POST assigns the next version; PUT names it.
        group.MapPost("/{name}/versions", async Task<Results<Created<JsonObject>, Ok<JsonObject>>> (string ws, string name, HttpRequest request, AssetService assets, CancellationToken ct) =>
        {
            var spec = await SpecBodies.ReadAsync<VersionedResourceSpec>(request, kind.ToDocumentKind(), Respond.Implied(("name", name)), ct);
            RouteNames.RequireSame(kind.DisplayName(), name, spec.Name);
            var (resource, created) = await assets.CreateAsync(ws, spec, ct);
            return Respond.Saved(ResourceViews.Render(resource), created);
        }).AcceptsSpec<JsonObject>();

        group.MapPut("/{name}/versions/{version}", async Task<Results<Created<JsonObject>, Ok<JsonObject>>> (string ws, string name, string version, HttpRequest request, AssetService assets, CancellationToken ct) =>
        {
            var spec = await SpecBodies.ReadAsync<VersionedResourceSpec>(request, kind.ToDocumentKind(), Respond.Implied(("name", name), ("version", version)), ct);
            RouteNames.RequireSame(kind.DisplayName(), name, spec.Name);
            RouteNames.RequireSame("version", version, spec.Version!);
            var (resource, created) = await assets.CreateAsync(ws, spec, ct);
            return Respond.Saved(ResourceViews.Render(resource), created);
        }).AcceptsSpec<JsonObject>();

        group.MapDelete("/{name}/versions/{version}", async (string ws, string name, string version, AssetService assets, CancellationToken ct) =>
        {
            await assets.DeleteAsync(ws, kind, name, version, ct);
            return TypedResults.NoContent();
        });

        // Archive and restore, as az ml <asset> archive/restore: one version, or every version of the asset.
        foreach (var (verb, archived) in new[] { ("archive", true), ("restore", false) })
        {
            group.MapPost($"/{{name}}/versions/{{version}}/{verb}", async (string ws, string name, string version, AssetService assets, CancellationToken ct) =>
                TypedResults.Ok(ResourceViews.Render((await assets.SetArchivedAsync(ws, kind, name, version, archived, ct)).Single())));

            group.MapPost($"/{{name}}/{verb}", async (string ws, string name, AssetService assets, CancellationToken ct) =>
                List(await assets.SetArchivedAsync(ws, kind, name, null, archived, ct)));
        }

        return routes;
    }

    public static IEndpointRouteBuilder MapComputeEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/workspaces/{ws}/computes").WithTags("computes");

        group.MapGet("/", async (string ws, ComputeService computes, CancellationToken ct) => List(await computes.ListAsync(ws, ct)));

        group.MapGet("/{name}", async (string ws, string name, ComputeService computes, IGrainFactory grains, CancellationToken ct) =>
        {
            var view = ResourceViews.Render(await computes.GetAsync(ws, name, ct));
            var report = await grains.GetGrain<IComputeClusterGrain>($"{ws}/{name}").ReportAsync();
            view["current_node_count"] = report.Nodes.Count(n => n.State is NodeStates.Idle or NodeStates.Running);
            view["provisioner"] = report.Provisioner;
            view["preemptions"] = report.Preemptions;
            view["jobs"] = new JsonArray([.. report.Jobs.Select(j => (JsonNode)j)]);
            view["nodes"] = Nodes(report);
            if (report.Subnet is { } subnet)
            {
                view["subnet_capacity"] = new JsonObject
                {
                    ["virtual_network"] = subnet.VirtualNetwork,
                    ["subnet"] = subnet.Subnet,
                    ["capacity"] = subnet.Capacity,
                    ["problem"] = subnet.Problem,
                };
            }

            return TypedResults.Ok(view);
        });

        group.MapGet("/{name}/nodes", async (string ws, string name, ComputeService computes, IGrainFactory grains, CancellationToken ct) =>
        {
            await computes.GetAsync(ws, name, ct);
            var report = await grains.GetGrain<IComputeClusterGrain>($"{ws}/{name}").ReportAsync();
            return TypedResults.Ok(new JsonObject { ["value"] = Nodes(report) });
        });

        group.MapPost("/{name}/nodes/{node}/preempt", async (string ws, string name, string node, ComputeService computes, IGrainFactory grains, CancellationToken ct) =>
        {
            await computes.GetAsync(ws, name, ct);
            try
            {
                var message = await grains.GetGrain<IComputeClusterGrain>($"{ws}/{name}").PreemptAsync(node);
                return TypedResults.Ok(new JsonObject { ["message"] = message });
            }
            catch (KeyNotFoundException ex)
            {
                throw SluiceException.NotFound($"Node '{node}' of compute '{name}'", ex.Message);
            }
            catch (InvalidOperationException ex)
            {
                throw SluiceException.Conflict(ex.Message);
            }
        });

        group.MapPut("/{name}", async Task<Results<Created<JsonObject>, Ok<JsonObject>>> (string ws, string name, HttpRequest request, ComputeService computes, CancellationToken ct) =>
        {
            var spec = await SpecBodies.ReadAsync<ComputeSpec>(request, DocumentKind.Compute, Respond.Implied(("name", name)), ct);
            RouteNames.RequireSame("compute", name, spec.Name);
            var (resource, created) = await computes.CreateOrUpdateAsync(ws, spec, ct);
            return Respond.Saved(ResourceViews.Render(resource), created);
        }).AcceptsSpec<JsonObject>();

        group.MapDelete("/{name}", async (string ws, string name, ComputeService computes, CancellationToken ct) =>
        {
            await computes.DeleteAsync(ws, name, ct);
            return TypedResults.NoContent();
        });

        return routes;
    }

    private static JsonArray Nodes(ClusterReport report) =>
        new([.. report.Nodes.Select(n => (JsonNode)new JsonObject
        {
            ["name"] = n.Name,
            ["state"] = n.State,
            ["tier"] = n.Tier,
            ["cores"] = n.Cores,
            ["jobs"] = new JsonArray([.. n.Jobs.Select(j => (JsonNode)j)]),
            ["failures"] = n.Failures,
            ["since"] = n.Since?.ToString("O"),
            ["silo"] = n.Silo,
            ["private_ip_address"] = n.PrivateIpAddress,
            ["reason"] = n.Reason,
        })]);

    internal static Ok<JsonObject> List(IEnumerable<StoredResource> resources) =>
        TypedResults.Ok(new JsonObject { ["value"] = new JsonArray([.. resources.Select(ResourceViews.Render)]) });
}
