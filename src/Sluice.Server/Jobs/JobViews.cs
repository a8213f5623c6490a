using System.Text.Json.Nodes;
using Sluice.Core.Jobs;
using Sluice.Core.Serialization;
using Sluice.Core.Yaml;
using Sluice.Data.Store;
using Sluice.Server.Api;

namespace Sluice.Server.Jobs;

/// <summary>The JSON a job is shown as, close to <c>az ml job show</c> for batch jobs, plus progress counters.</summary>
public static class JobViews
{
    public static JsonObject Render(JobRecord record)
    {
        var definition = JobDefinition.FromJson(record.DefinitionJson);

        // The stored deployment JSON is canonical (written by the spec codec): show its parts without re-validating it,
        // since job views are polled while jobs run.
        var deployment = JsonNode.Parse(definition.DeploymentJson)!.AsObject();
        var settings = deployment["settings"]!.AsObject();
        var inFlight = record.MiniBatchesTotal - record.MiniBatchesSucceeded - record.MiniBatchesFailed;
        return new JsonObject
        {
            ["name"] = record.Name,
            ["id"] = $"/workspaces/{record.Workspace}/jobs/{record.Name}",
            ["type"] = "batch",
            ["status"] = record.Status,
            ["status_reason"] = record.StatusReason,
            ["endpoint_name"] = record.EndpointName,
            ["deployment_name"] = record.DeploymentName,
            ["inputs"] = new JsonObject
            {
                [definition.Input.Name] = new JsonObject
                {
                    ["type"] = EnumNames<Core.Specs.IoType>.ToName(definition.Input.Type),
                    ["path"] = definition.Input.Uri,
                    ["data_asset"] = definition.Input.DataAsset,
                },
            },
            ["outputs"] = new JsonObject
            {
                [definition.Output.Name] = new JsonObject
                {
                    ["type"] = "uri_folder",
                    ["path"] = definition.Output.FolderUri,
                    ["file_name"] = (string?)settings["output_action"] == "append_row" ? definition.Output.FileName : null,
                },
            },
            ["logs"] = $"azureml://datastores/{JobLayout.LogDatastore}/paths/{JobLayout.LogsFolder(record.Name)}/",
            ["settings"] = settings.DeepClone(),
            ["resources"] = new JsonObject { ["instance_count"] = deployment["resources"]?["instance_count"]?.DeepClone() },
            ["progress"] = new JsonObject
            {
                ["mini_batches"] = new JsonObject { ["total"] = record.MiniBatchesTotal, ["succeeded"] = record.MiniBatchesSucceeded, ["failed"] = record.MiniBatchesFailed, ["in_flight"] = Math.Max(0, inFlight) },
                ["items"] = new JsonObject { ["total"] = record.ItemsTotal, ["succeeded"] = record.ItemsSucceeded, ["failed"] = record.ItemsFailed },
            },
            ["node_losses"] = record.NodeLosses,
            ["preemptions"] = record.Preemptions,
            ["creation_context"] = ResourceViews.CreationContext(record.CreatedAt, record.ModifiedAt),
            ["start_time"] = Time(record.StartedAt),
            ["end_time"] = Time(record.EndedAt),
            ["trace_id"] = record.TraceId,
        };
    }

    /// <summary>A stored UTC time as ISO 8601 (round-trip), or null.</summary>
    public static string? Time(DateTime? utc) => utc is { } t ? DateTime.SpecifyKind(t, DateTimeKind.Utc).ToString("O") : null;

    /// <summary>The per-node report: which node finished how much of the job.</summary>
    public static JsonArray RenderNodes(IReadOnlyList<NodeShare> shares) =>
        new([.. shares.Select(n => (JsonNode)new JsonObject
        {
            ["node"] = n.Node,
            ["mini_batches"] = n.MiniBatches,
            ["failed_mini_batches"] = n.FailedMiniBatches,
            ["items"] = n.Items,
            ["rows"] = n.Rows,
        })]);
}
