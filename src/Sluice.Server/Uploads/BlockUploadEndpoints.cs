using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Sluice.Server.Uploads;

/// <summary>
/// Resumable block uploads into a datastore: start (or find) an upload, send numbered blocks in any order, ask which
/// arrived, commit. Small files go through <c>PUT .../files/{path}</c> instead.
/// </summary>
public static class BlockUploadEndpoints
{
    public static IEndpointRouteBuilder MapBlockUploadEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/workspaces/{ws}/datastores/{name}/uploads/{id}").WithTags("datastores");

        group.MapPut("/", async Task<Results<Created<JsonObject>, Ok<JsonObject>>> (string ws, string name, string id, BeginUploadRequest request, BlockUploads uploads, CancellationToken ct) =>
        {
            var (state, created) = await uploads.BeginAsync(ws, name, id, request, ct);
            var view = View(state);
            return created ? TypedResults.Created($"/workspaces/{ws}/datastores/{name}/uploads/{id}", view) : TypedResults.Ok(view);
        });

        group.MapGet("/", async (string ws, string name, string id, BlockUploads uploads, CancellationToken ct) =>
            TypedResults.Ok(View(await uploads.GetAsync(ws, name, id, ct))));

        group.MapPut("/blocks/{index:int}", async (string ws, string name, string id, int index, HttpContext context, BlockUploads uploads, CancellationToken ct) =>
        {
            var state = await uploads.GetAsync(ws, name, id, ct);
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = state.BlockSize;
            }

            var length = await uploads.PutBlockAsync(ws, name, id, index, context.Request.Body, ct);
            return TypedResults.Created($"/workspaces/{ws}/datastores/{name}/uploads/{id}/blocks/{index}", new JsonObject { ["index"] = index, ["length"] = length });
        }).Accepts<Stream>("application/octet-stream");

        group.MapPost("/commit", async (string ws, string name, string id, BlockUploads uploads, CancellationToken ct) =>
        {
            var item = await uploads.CommitAsync(ws, name, id, ct);
            return TypedResults.Created($"/workspaces/{ws}/datastores/{name}/files/{item.Path}", new JsonObject { ["path"] = item.Path, ["length"] = item.Length });
        });

        group.MapDelete("/", async (string ws, string name, string id, BlockUploads uploads, CancellationToken ct) =>
        {
            await uploads.AbortAsync(ws, name, id, ct);
            return TypedResults.NoContent();
        });

        return routes;
    }

    private static JsonObject View(UploadState state) => new()
    {
        ["id"] = state.Id,
        ["datastore"] = state.Datastore,
        ["path"] = state.Path,
        ["length"] = state.Length,
        ["block_size"] = state.BlockSize,
        ["overwrite"] = state.Overwrite,
        ["block_count"] = state.BlockCount,
        ["blocks"] = new JsonArray([.. state.Blocks.Select(b => (JsonNode)b)]),
    };
}
