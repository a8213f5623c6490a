using Sluice.Core.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Sluice.Server.Api;

namespace Sluice.Server.Network;

/// <summary>
/// Routes for the questions asked of a workspace's network, as Azure's Network Watcher answers them: verify a flow,
/// effective security rules, effective routes, next hop, and a lint of security groups.
/// </summary>
public static class NetworkQuestionEndpoints
{
    private static readonly System.Text.Json.JsonSerializerOptions DiagnosisJson = new(System.Text.Json.JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    public static IEndpointRouteBuilder MapNetworkQuestionEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/workspaces/{ws}/network").WithTags("network-questions");

        // Azure ML's workspace diagnostics, as POST .../diagnose: findings grouped as Azure groups them.
        routes.MapPost("/workspaces/{ws}/diagnose", async (string ws, string? rules, WorkspaceDiagnosisService diagnosis, CancellationToken ct) =>
        {
            var ruleSet = rules?.ToLowerInvariant() switch
            {
                null or "" or "azure" => Sluice.Network.Diagnostics.DiagnosisRules.Azure,
                "sluice" => Sluice.Network.Diagnostics.DiagnosisRules.Sluice,
                _ => throw SluiceException.Invalid($"rules '{rules}' is not a rule set.", "use rules=azure (Azure ML's documented requirements) or rules=sluice (what Sluice's own deployment needs)"),
            };
            var result = await diagnosis.DiagnoseAsync(ws, ruleSet, ct);
            var view = System.Text.Json.JsonSerializer.SerializeToNode(result, DiagnosisJson)!.AsObject();
            view["rules"] = ruleSet.ToString().ToLowerInvariant();
            return TypedResults.Ok(view);
        }).WithTags("workspaces").WithSummary("Diagnose a workspace's network, as Azure ML's workspace diagnostics do");

        group.MapPost("/verify-flow", async (string ws, HttpRequest request, NetworkQuestions questions, CancellationToken ct) =>
        {
            var text = await SpecBodies.ReadTextAsync(request, SpecBodies.MaxBytes, ct);
            return TypedResults.Ok(await questions.VerifyFlowAsync(ws, VerifyFlowRequest.Read(text), ct));
        })
            .AcceptsBody<VerifyFlowRequest>("application/json")
            .WithSummary("Follow a flow from a source to a destination: security rules at each level, the route, egress and the service's firewall.")
            .Problems();

        group.MapGet("/effective-rules", async (string ws, string? nic, [FromQuery(Name = "virtual_network")] string? virtualNetwork, string? subnet, NetworkQuestions questions, CancellationToken ct) =>
            TypedResults.Ok(await questions.EffectiveRulesAsync(ws, nic, virtualNetwork, subnet, ct)))
            .WithSummary("The security rules that apply to an interface (?nic=) or a subnet (?virtual_network=&subnet=), per level in evaluation order, tags and groups expanded, defaults included.")
            .Problems();

        group.MapGet("/effective-routes", async (string ws, string? nic, [FromQuery(Name = "virtual_network")] string? virtualNetwork, string? subnet, string? source, NetworkQuestions questions, CancellationToken ct) =>
            TypedResults.Ok(await questions.EffectiveRoutesAsync(ws, nic, virtualNetwork, subnet, source, ct)))
            .WithSummary("A subnet's effective routes (system, BGP and user), overridden ones Invalid: ?virtual_network=&subnet=, ?nic= (its subnet's), or ?source= (anything next-hop takes as a source).")
            .Problems();

        group.MapGet("/next-hop", async (string ws, string? source, string? destination, NetworkQuestions questions, CancellationToken ct) =>
            TypedResults.Ok(await questions.NextHopAsync(ws, source, destination, ct)))
            .WithSummary("The next hop from an interface, compute or subnet (?source=) to an address (?destination=), the route chosen and the effective routes.")
            .Problems();

        group.MapGet("/lint", async (string ws, [FromQuery(Name = "network_security_group")] string? networkSecurityGroup, NetworkQuestions questions, CancellationToken ct) =>
            TypedResults.Ok(await questions.LintAsync(ws, networkSecurityGroup, ct)))
            .WithSummary("Unreachable, duplicate and empty rules, and rules broader than their names, in one security group or all of them.")
            .Problems();

        return routes;
    }

    private static RouteHandlerBuilder Problems(this RouteHandlerBuilder builder) => builder
        .Produces<JsonObject>()
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status409Conflict);
}
