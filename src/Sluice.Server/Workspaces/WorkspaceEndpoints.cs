using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Sluice.Core.Specs;
using Sluice.Server.Api;

namespace Sluice.Server.Workspaces;

public static class WorkspaceEndpoints
{
    public static RouteGroupBuilder MapWorkspaceEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/workspaces").WithTags("Workspaces");

        group.MapGet("/", async (WorkspaceService workspaces, CancellationToken ct) =>
            TypedResults.Ok(new JsonObject { ["value"] = new JsonArray([.. (await workspaces.ListAsync(ct)).Select(ResourceViews.Render)]) }));

        group.MapGet("/{ws}", async (string ws, WorkspaceService workspaces, CancellationToken ct) =>
        {
            await workspaces.RequireAsync(ws, ct);
            return TypedResults.Ok(ResourceViews.Render((await workspaces.GetRecordAsync(ws, ct))!));
        });

        group.MapPut("/{ws}", async Task<Results<Created<JsonObject>, Ok<JsonObject>>> (string ws, HttpRequest request, WorkspaceService workspaces, CancellationToken ct) =>
        {
            WorkspaceService.CheckName(ws);
            var spec = await SpecBodies.ReadAsync<WorkspaceSpec>(request, DocumentKind.Workspace, Respond.Implied(("name", ws)), ct);
            RouteNames.RequireSame("workspace", ws, spec.Name);
            var (_, record, created) = await workspaces.CreateOrUpdateAsync(spec, ct);
            return Respond.Saved(ResourceViews.Render(record), created);
        }).AcceptsSpec<JsonObject>();

        group.MapDelete("/{ws}", async (string ws, WorkspaceService workspaces, CancellationToken ct) =>
        {
            await workspaces.DeleteAsync(ws, ct);
            return TypedResults.NoContent();
        });

        return group;
    }
}
