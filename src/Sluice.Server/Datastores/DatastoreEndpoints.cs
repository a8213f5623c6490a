using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Sluice.Core.Diagnostics;
using Sluice.Core.Specs;
using Sluice.Server.Api;
using Sluice.Server.Resources;

namespace Sluice.Server.Datastores;

public static class DatastoreEndpoints
{
    /// <summary>The most items one listing call returns; callers page with <c>after</c>.</summary>
    public const int MaxListPage = 5000;

    public static IEndpointRouteBuilder MapDatastoreEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/workspaces/{ws}/datastores").WithTags("datastores");

        group.MapGet("/", async (string ws, DatastoreService datastores, CancellationToken ct) =>
            ResourceEndpoints.List(await datastores.ListAsync(ws, ct)));

        group.MapGet("/{name}", async (string ws, string name, DatastoreService datastores, CancellationToken ct) =>
            TypedResults.Ok(ResourceViews.Render(await datastores.GetAsync(ws, name, ct))));

        group.MapPut("/{name}", async Task<Results<Created<JsonObject>, Ok<JsonObject>>> (string ws, string name, HttpRequest request, DatastoreService datastores, CancellationToken ct) =>
        {
            var spec = await SpecBodies.ReadAsync<DatastoreSpec>(request, DocumentKind.Datastore, Respond.Implied(("name", name)), ct);
            RouteNames.RequireSame("datastore", name, spec.Name);
            var (resource, created, warnings) = await datastores.CreateOrUpdateAsync(ws, spec, ct);
            var view = ResourceViews.Render(resource);
            if (warnings.Count > 0)
            {
                view["warnings"] = new JsonArray([.. warnings.Select(w => (JsonNode)w)]);
            }

            return Respond.Saved(view, created);
        }).AcceptsSpec<JsonObject>();

        group.MapDelete("/{name}", async (string ws, string name, DatastoreService datastores, CancellationToken ct) =>
        {
            await datastores.DeleteAsync(ws, name, ct);
            return TypedResults.NoContent();
        });

        // Content: list a folder, download a file, upload a file (atomically).
        group.MapGet("/{name}/files", async (string ws, string name, string? path, bool? recursive, int? top, string? after, DatastoreService datastores, CancellationToken ct) =>
        {
            var client = await datastores.GetClientAsync(ws, name, ct);
            var limit = Math.Clamp(top ?? MaxListPage, 1, MaxListPage);
            var items = new JsonArray();
            var skipping = after is not null;
            string? last = null;
            var more = false;
            await foreach (var item in client.ListFilesAsync(path ?? string.Empty, recursive ?? false, ct))
            {
                if (skipping)
                {
                    skipping = item.Path != after;
                    continue;
                }

                if (items.Count == limit)
                {
                    more = true;
                    break;
                }

                items.Add(new JsonObject { ["path"] = item.Path, ["length"] = item.Length, ["last_modified"] = item.LastModified.ToString("O") });
                last = item.Path;
            }

            return TypedResults.Ok(new JsonObject { ["value"] = items, ["next_after"] = more ? last : null });
        });

        group.MapGet("/{name}/files/{**path}", async Task<FileStreamHttpResult> (string ws, string name, string path, DatastoreService datastores, CancellationToken ct) =>
        {
            var client = await datastores.GetClientAsync(ws, name, ct);
            var item = await client.GetItemAsync(path, ct);
            if (item is null || item.IsFolder)
            {
                throw SluiceException.NotFound($"File '{path}' in datastore '{name}'");
            }

            return TypedResults.File(await client.OpenReadAsync(path, ct), "application/octet-stream", Path.GetFileName(item.Path), lastModified: item.LastModified);
        });

        group.MapPut("/{name}/files/{**path}", async (string ws, string name, string path, bool? overwrite, HttpContext context, DatastoreService datastores, CancellationToken ct) =>
        {
            // Uploads may be large: lift the body limit for this route only; specs keep theirs.
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = null;
            }

            var client = await datastores.GetClientAsync(ws, name, ct);
            if (await client.GetItemAsync(path, ct) is { } existing)
            {
                if (existing.IsFolder)
                {
                    throw SluiceException.Conflict($"'{path}' is a folder in datastore '{name}'; a file cannot replace it.");
                }

                if (overwrite != true)
                {
                    throw SluiceException.Conflict($"File '{path}' already exists in datastore '{name}'.", "pass overwrite=true to replace it");
                }
            }

            await client.WriteAsync(path, context.Request.Body, overwrite ?? false, ct);

            var item = await client.GetItemAsync(path, ct);
            return TypedResults.Created($"/workspaces/{ws}/datastores/{name}/files/{item!.Path}", new JsonObject { ["path"] = item.Path, ["length"] = item.Length });
        }).Accepts<Stream>("application/octet-stream");

        return routes;
    }
}
