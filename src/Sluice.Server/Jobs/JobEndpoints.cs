using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Sluice.Data.Store;

namespace Sluice.Server.Jobs;

public static class JobEndpoints
{
    public static IEndpointRouteBuilder MapJobEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/workspaces/{ws}/jobs").WithTags("jobs");

        group.MapGet("/", async (string ws, string? endpoint, int? top, JobService jobs, CancellationToken ct) =>
            TypedResults.Ok(new JsonObject { ["value"] = new JsonArray([.. (await jobs.ListAsync(ws, endpoint, Math.Clamp(top ?? 100, 1, 1000), ct)).Select(JobViews.Render)]) }));

        group.MapGet("/{name}", async (string ws, string name, JobService jobs, JobStore store, CancellationToken ct) =>
        {
            var job = await jobs.GetAsync(ws, name, ct);
            var view = JobViews.Render(job);
            view["first_output_time"] = JobViews.Time(job.FirstOutputAt);
            view["nodes"] = JobViews.RenderNodes(await store.NodeSharesAsync(ws, name, ct));
            return TypedResults.Ok(view);
        });

        group.MapPost("/{name}/cancel", async (string ws, string name, JobService jobs, CancellationToken ct) =>
            TypedResults.Ok(JobViews.Render(await jobs.CancelAsync(ws, name, ct))));

        return routes;
    }
}
