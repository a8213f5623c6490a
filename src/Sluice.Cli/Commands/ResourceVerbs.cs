using System.CommandLine;
using System.Text.Json.Nodes;
using Sluice.Cli.Infrastructure;
using Sluice.Core.Serialization;
using Sluice.Core.Specs;
using Spectre.Console;

namespace Sluice.Cli.Commands;

/// <summary>The show/list/delete/create steps that every resource group shares.</summary>
internal static class ResourceVerbs
{
    public static async Task<int> ShowAsync(CliContext context, ParseResult parse, string path, CancellationToken cancellationToken)
    {
        var resource = await context.Client(parse).GetAsync(path, cancellationToken);
        Output.Resource(context, resource, GlobalOptions.FormatOf(parse, OutputFormat.Json));
        return ExitCodes.Success;
    }

    public static async Task<int> ListAsync(CliContext context, ParseResult parse, string path, IReadOnlyList<Column> columns, CancellationToken cancellationToken)
    {
        var list = await context.Client(parse).GetAsync(path, cancellationToken);
        Output.List(context, list["value"]?.AsArray() ?? [], GlobalOptions.FormatOf(parse, OutputFormat.Table), columns);
        return ExitCodes.Success;
    }

    public static async Task<int> DeleteAsync(CliContext context, ParseResult parse, string path, string what, bool yes, CancellationToken cancellationToken)
    {
        if (!Actions.Confirm(context, yes, $"Delete {what}?"))
        {
            context.Error.WriteLine("Not deleted.");
            return ExitCodes.Error;
        }

        await context.Client(parse).DeleteAsync(path, cancellationToken);
        context.Console.MarkupLine($"Deleted {Spectre.Console.Markup.Escape(what)}.");
        return ExitCodes.Success;
    }

    /// <summary>Sends a spec (local paths already uploaded) and prints what the server stored.</summary>
    public static async Task<int> PutAsync(CliContext context, ParseResult parse, string path, ResourceSpec spec, CancellationToken cancellationToken)
    {
        var stored = await context.Client(parse).PutAsync(path, SpecCodec.Encode(spec), cancellationToken);
        PrintWarnings(context, stored);
        Output.Resource(context, stored, GlobalOptions.FormatOf(parse, OutputFormat.Json));
        return ExitCodes.Success;
    }

    /// <summary>Moves the server's <c>warnings</c> (e.g. a subnet rule that needs a service endpoint) from the result to standard error.</summary>
    public static void PrintWarnings(CliContext context, JsonObject stored)
    {
        if (stored["warnings"] is JsonArray warnings)
        {
            foreach (var warning in warnings)
            {
                context.Error.WriteLine($"warning: {(string?)warning}");
            }

            stored.Remove("warnings");
        }
    }

    public static async Task<int> PostAsync(CliContext context, ParseResult parse, string path, ResourceSpec spec, CancellationToken cancellationToken)
    {
        var stored = await context.Client(parse).PostAsync(path, SpecCodec.Encode(spec), cancellationToken);
        Output.Resource(context, stored, GlobalOptions.FormatOf(parse, OutputFormat.Json));
        return ExitCodes.Success;
    }

    /// <summary>
    /// <c>update --set</c>: fetch the resource, apply the overrides to its spec, and validate the result like a file,
    /// so <c>--set settings.mini_batch_size=0</c> fails with the same message as writing it in YAML.
    /// </summary>
    private static readonly string[] ServerOwned = ["id", "creation_context", "scoring_uri", "network_mode", "provisioning_state", "archived", "current_node_count", "preemptions", "jobs", "nodes", "subnet_capacity", "peering_states", "dns_configs", "warnings"];

    public static async Task<T> FetchAndOverrideAsync<T>(CliContext context, ParseResult parse, string path, DocumentKind kind, string[] sets, CancellationToken cancellationToken, params string[] alsoServerOwned)
        where T : class
    {
        var current = await context.Client(parse).GetAsync(path, cancellationToken);
        // What the server adds to a resource's view (identity, state, a compute cluster's live nodes) is not part of its spec.
        foreach (var serverOwned in ServerOwned.Concat(alsoServerOwned))
        {
            current.Remove(serverOwned);
        }

        return Specs.SpecFiles.ReadText<T>(context, current.ToJsonString(), "current " + path, kind, sets);
    }

    public static string Named(string kind, string name) => $"{kind} '{name}'";

    public static JsonObject Body(params (string Key, JsonNode? Value)[] pairs)
    {
        var body = new JsonObject();
        foreach (var (key, value) in pairs)
        {
            if (value is not null)
            {
                body[key] = value;
            }
        }

        return body;
    }
}
