using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;
using Sluice.Cluster.Membership;

namespace Sluice.Server.Nodes;

/// <summary>
/// What compute nodes need from the servers: the cluster's identity, and the Orleans membership table (kept in
/// Sluice's store). Nodes join with only a server URL. These routes are for Sluice's own nodes.
/// </summary>
public static class ClusterEndpoints
{
    public static IEndpointRouteBuilder MapClusterEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/internal/cluster").WithTags("cluster (internal)").ExcludeFromDescription();

        group.MapGet("/", (IOptions<ClusterOptions> cluster) =>
            TypedResults.Ok(new JsonObject { ["cluster_id"] = cluster.Value.ClusterId, ["service_id"] = cluster.Value.ServiceId }));

        var membership = group.MapGroup("/membership");
        membership.MapPost("/init", async (bool tryInitTableVersion, IMembershipTable table, CancellationToken ct) =>
        {
            await table.InitializeMembershipTableAsync(tryInitTableVersion, ct);
            return TypedResults.NoContent();
        });
        membership.MapGet("/", async (IMembershipTable table, CancellationToken ct) => TypedResults.Json(MembershipTableDto.From(await table.ReadAllAsync(ct)), MembershipEntryDto.Json));
        membership.MapGet("/{silo}", async (string silo, IMembershipTable table, CancellationToken ct) =>
            TypedResults.Json(MembershipTableDto.From(await table.ReadRowAsync(SiloAddress.FromParsableString(silo), ct)), MembershipEntryDto.Json));
        membership.MapPost("/rows", async (HttpRequest request, IMembershipTable table, CancellationToken ct) =>
        {
            var write = await Read(request);
            return TypedResults.Json(new { ok = await table.InsertRowAsync(write.Entry.ToEntry(), new TableVersion(write.Version, write.VersionEtag), ct) }, MembershipEntryDto.Json);
        });
        membership.MapPut("/rows", async (HttpRequest request, IMembershipTable table, CancellationToken ct) =>
        {
            var write = await Read(request);
            return TypedResults.Json(new { ok = await table.UpdateRowAsync(write.Entry.ToEntry(), write.ETag ?? string.Empty, new TableVersion(write.Version, write.VersionEtag), ct) }, MembershipEntryDto.Json);
        });
        membership.MapPost("/alive", async (HttpRequest request, IMembershipTable table, CancellationToken ct) =>
        {
            var entry = await request.ReadFromJsonAsync<MembershipEntryDto>(MembershipEntryDto.Json, request.HttpContext.RequestAborted);
            await table.UpdateIAmAliveAsync(entry!.ToEntry(), ct);
            return TypedResults.NoContent();
        });
        membership.MapPost("/cleanup", async (DateTimeOffset before, IMembershipTable table, CancellationToken ct) =>
        {
            await table.CleanupDefunctSiloEntriesAsync(before, ct);
            return TypedResults.NoContent();
        });
        membership.MapDelete("/", async (string clusterId, IMembershipTable table, CancellationToken ct) =>
        {
            await table.DeleteMembershipTableEntriesAsync(clusterId, ct);
            return TypedResults.NoContent();
        });
        return routes;
    }

    private static async Task<MembershipWriteDto> Read(HttpRequest request) =>
        await request.ReadFromJsonAsync<MembershipWriteDto>(MembershipEntryDto.Json, request.HttpContext.RequestAborted)
            ?? throw new BadHttpRequestException("Empty membership write.");
}
