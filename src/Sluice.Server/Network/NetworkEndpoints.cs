using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Sluice.Core.Specs;
using Sluice.Core.Specs.Network;
using Sluice.Server.Api;

namespace Sluice.Server.Network;

/// <summary>Routes for network resources: one collection per kind under the workspace, plus service tag imports.</summary>
public static class NetworkEndpoints
{
    /// <summary>Every kind of network resource; each is routed at <c>/workspaces/{ws}/&lt;collection&gt;</c>.</summary>
    public static IReadOnlyList<ResourceKind> Kinds { get; } = [.. Enum.GetValues<ResourceKind>().Where(k => k.IsNetwork())];

    public static IEndpointRouteBuilder MapNetworkEndpoints(this IEndpointRouteBuilder routes)
    {
        foreach (var kind in Kinds)
        {
            MapKind(routes, kind);
        }

        MapServiceTagSets(routes);
        return routes;
    }

    private static void MapKind(IEndpointRouteBuilder routes, ResourceKind kind)
    {
        var collection = ResourceViews.Collection(kind);
        var group = routes.MapGroup($"/workspaces/{{ws}}/{collection}").WithTags(collection);

        if (kind == ResourceKind.ServiceTag)
        {
            // User-defined tags in "value", imported sets (summaries) in "imported_sets"; one name looks in both.
            group.MapGet("/", async (string ws, NetworkService network, CancellationToken ct) =>
            {
                var (tags, sets) = await network.ListServiceTagsAsync(ws, ct);
                tags["imported_sets"] = sets;
                return TypedResults.Ok(tags);
            });

            group.MapGet("/{name}", async (string ws, string name, NetworkService network, CancellationToken ct) =>
                TypedResults.Ok(await network.GetServiceTagAsync(ws, name, ct)));

            group.MapPost("/import", async Task<Results<Created<JsonObject>, Ok<JsonObject>>> (string ws, string? name, HttpContext context, NetworkService network, CancellationToken ct) =>
            {
                // Azure's public file is a few MB: this route has its own limit, far above a spec's.
                if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
                {
                    limit.MaxRequestBodySize = NetworkService.MaxImportBytes + 1L;
                }

                string text;
                try
                {
                    text = await SpecBodies.ReadTextAsync(context.Request, NetworkService.MaxImportBytes, ct);
                }
                catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
                {
                    throw new BadHttpRequestException($"The service tag file is larger than {NetworkService.MaxImportBytes / (1024 * 1024)} MiB, the limit for an import.", StatusCodes.Status413PayloadTooLarge);
                }

                var (view, created) = await network.ImportServiceTagsAsync(ws, text, name, ct);
                return Respond.Saved(view, created);
            }).AcceptsBody<JsonObject>("application/json");
        }
        else
        {
            group.MapGet("/", async (string ws, NetworkService network, CancellationToken ct) =>
                TypedResults.Ok(new JsonObject { ["value"] = await network.ListAsync(ws, kind, ct) }));

            group.MapGet("/{name}", async (string ws, string name, NetworkService network, CancellationToken ct) =>
                TypedResults.Ok(await network.GetAsync(ws, kind, name, ct)));
        }

        group.MapPut("/{name}", async Task<Results<Created<JsonObject>, Ok<JsonObject>>> (string ws, string name, HttpRequest request, NetworkService network, CancellationToken ct) =>
        {
            var spec = await SpecBodies.ReadAsync<NetworkResourceSpec>(request, kind.ToDocumentKind(), Respond.Implied(("name", name)), ct);
            RouteNames.RequireSame(kind.DisplayName(), name, spec.Name);
            var (resource, created, warnings) = await network.CreateOrUpdateAsync(ws, spec, ct);
            var view = kind == ResourceKind.ServiceTag ? ResourceViews.Render(resource) : await network.GetAsync(ws, kind, resource.Name, ct);
            if (warnings.Count > 0)
            {
                view["warnings"] = new JsonArray([.. warnings.Select(w => (JsonNode)w)]);
            }

            return Respond.Saved(view, created);
        }).AcceptsSpec<JsonObject>();

        group.MapDelete("/{name}", async (string ws, string name, NetworkService network, CancellationToken ct) =>
        {
            await network.DeleteAsync(ws, kind, name, ct);
            return TypedResults.NoContent();
        });
    }

    private static void MapServiceTagSets(IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/workspaces/{ws}/service-tag-sets").WithTags("service-tag-sets");

        group.MapGet("/", async (string ws, NetworkService network, CancellationToken ct) =>
            TypedResults.Ok(new JsonObject { ["value"] = await network.ListServiceTagSetsAsync(ws, ct) }));

        group.MapGet("/{name}", async (string ws, string name, NetworkService network, CancellationToken ct) =>
            TypedResults.Ok(await network.GetServiceTagSetAsync(ws, name, ct)));

        group.MapDelete("/{name}", async (string ws, string name, NetworkService network, CancellationToken ct) =>
        {
            await network.DeleteServiceTagSetAsync(ws, name, ct);
            return TypedResults.NoContent();
        });
    }
}
