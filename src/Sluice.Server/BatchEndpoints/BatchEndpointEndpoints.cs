using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Sluice.Core.Diagnostics;
using Sluice.Core.Specs;
using Sluice.Server.Api;
using Sluice.Server.Jobs;
using Sluice.Server.Resources;

namespace Sluice.Server.BatchEndpoints;

public static class BatchEndpointEndpoints
{
    /// <summary>The header Azure ML uses to route an invocation to a named deployment.</summary>
    public const string DeploymentHeader = "azureml-model-deployment";

    private static readonly JsonSerializerOptions InvokeJson = new()
    {
        PropertyNameCaseInsensitive = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
    };

    public static IEndpointRouteBuilder MapBatchEndpointEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/workspaces/{ws}/batchEndpoints").WithTags("batchEndpoints");

        group.MapGet("/", async (string ws, BatchEndpointService service, HttpRequest request, CancellationToken ct) =>
            TypedResults.Ok(new JsonObject { ["value"] = new JsonArray([.. (await service.ListEndpointsAsync(ws, ct)).Select(e => RenderEndpoint(e, request))]) }));

        group.MapGet("/{name}", async (string ws, string name, BatchEndpointService service, HttpRequest request, CancellationToken ct) =>
            TypedResults.Ok(RenderEndpoint(await service.GetEndpointAsync(ws, name, ct), request)));

        group.MapPut("/{name}", async Task<Results<Created<JsonObject>, Ok<JsonObject>>> (string ws, string name, HttpRequest request, BatchEndpointService service, CancellationToken ct) =>
        {
            var spec = await SpecBodies.ReadAsync<BatchEndpointSpec>(request, DocumentKind.BatchEndpoint, Respond.Implied(("name", name)), ct);
            RouteNames.RequireSame("batch endpoint", name, spec.Name);
            var (resource, created) = await service.CreateOrUpdateEndpointAsync(ws, spec, ct);
            return Respond.Saved(RenderEndpoint(resource, request), created);
        }).AcceptsSpec<JsonObject>();

        group.MapDelete("/{name}", async (string ws, string name, BatchEndpointService service, CancellationToken ct) =>
        {
            await service.DeleteEndpointAsync(ws, name, ct);
            return TypedResults.NoContent();
        });

        group.MapGet("/{name}/deployments", async (string ws, string name, BatchEndpointService service, CancellationToken ct) =>
            ResourceEndpoints.List(await service.ListDeploymentsAsync(ws, name, ct)));

        group.MapGet("/{name}/deployments/{deployment}", async (string ws, string name, string deployment, BatchEndpointService service, CancellationToken ct) =>
            TypedResults.Ok(ResourceViews.Render(await service.GetDeploymentAsync(ws, name, deployment, ct))));

        group.MapPut("/{name}/deployments/{deployment}", async Task<Results<Created<JsonObject>, Ok<JsonObject>>> (string ws, string name, string deployment, bool? setDefault, HttpRequest request, BatchEndpointService service, CancellationToken ct) =>
        {
            var spec = await SpecBodies.ReadAsync<BatchDeploymentSpec>(request, DocumentKind.BatchDeployment, Respond.Implied(("name", deployment), ("endpoint_name", name)), ct);
            RouteNames.RequireSame("deployment", deployment, spec.Name);
            var (resource, created) = await service.CreateOrUpdateDeploymentAsync(ws, name, spec, setDefault ?? false, ct);
            return Respond.Saved(ResourceViews.Render(resource), created);
        }).AcceptsSpec<JsonObject>();

        group.MapDelete("/{name}/deployments/{deployment}", async (string ws, string name, string deployment, BatchEndpointService service, CancellationToken ct) =>
        {
            await service.DeleteDeploymentAsync(ws, name, deployment, ct);
            return TypedResults.NoContent();
        });

        // Invoke: Azure ML's batch endpoint scoring call. Returns at once with the job.
        group.MapPost("/{name}/jobs", async (string ws, string name, [FromHeader(Name = DeploymentHeader)] string? deploymentHeader, HttpRequest request, JobService jobs, CancellationToken ct) =>
        {
            var text = await SpecBodies.ReadTextAsync(request, SpecBodies.MaxBytes, ct);
            SpecBodies.RequireWellFormedJson(text);
            var invocation = Deserialize(text);
            var job = await jobs.InvokeAsync(ws, name, deploymentHeader, invocation, ct);
            return TypedResults.Created($"/workspaces/{ws}/jobs/{job.Name}", JobViews.Render(job));
        }).AcceptsBody<InvokeRequest>("application/json");

        group.MapGet("/{name}/jobs", async (string ws, string name, int? top, JobService jobs, CancellationToken ct) =>
            TypedResults.Ok(new JsonObject { ["value"] = new JsonArray([.. (await jobs.ListAsync(ws, name, Math.Clamp(top ?? 100, 1, 1000), ct)).Select(JobViews.Render)]) }));

        return routes;
    }

    private static JsonObject RenderEndpoint(StoredResource endpoint, HttpRequest request)
    {
        var view = ResourceViews.Render(endpoint);
        view["scoring_uri"] = $"{request.Scheme}://{request.Host}/workspaces/{endpoint.Workspace}/batchEndpoints/{endpoint.Name}/jobs";
        return view;
    }

    private static InvokeRequest Deserialize(string text)
    {
        try
        {
            return JsonSerializer.Deserialize<InvokeRequest>(text, InvokeJson) ?? new InvokeRequest();
        }
        catch (JsonException ex) when (ex.Message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            throw SluiceException.Invalid(
                $"The invocation has a field Sluice does not know at {ex.Path}.",
                "the body is Azure ML's invoke call: {\"properties\": {\"InputData\": {...}, \"OutputData\": {...}, \"miniBatchSize\", \"compute\": {\"instanceCount\"}, \"errorThreshold\", \"retrySettings\", \"outputFileName\", \"loggingLevel\", \"environmentVariables\"}}");
        }
    }
}
