using System.CommandLine;
using System.Globalization;
using Sluice.Cli.Infrastructure;
using Sluice.Cli.Specs;
using Sluice.Core.Specs;

namespace Sluice.Cli.Commands;

internal static class ComputeCommands
{
    private static readonly Column[] Columns = [new("name", "name"), new("type", "type"), new("tier", "tier"), new("size", "size"), new("min", "min_instances"), new("max", "max_instances"), new("idle s", "idle_time_before_scale_down")];

    private static readonly Column[] NodeColumns = [new("name", "name"), new("state", "state"), new("tier", "tier"), new("cores", "cores"), new("jobs", "jobs"), new("failures", "failures"), new("since", "since")];

    public static Command Build(CliContext context)
    {
        var group = new Command("compute", "Manage compute clusters (type: amlcompute).");

        var file = CommonOptions.File();
        var name = CommonOptions.Name(required: false, "compute");
        var set = CommonOptions.Set();
        var type = new Option<string?>("--type", "-t") { Description = "amlcompute." };
        var size = new Option<string?>("--size") { Description = "The node size, e.g. STANDARD_DS3_v2." };
        var min = new Option<int?>("--min-instances") { Description = "Nodes kept even when idle (default 0)." };
        var max = new Option<int?>("--max-instances") { Description = "Most nodes the cluster may have (default 1)." };
        var idle = new Option<int?>("--idle-time-before-scale-down") { Description = "Seconds a node stays idle before it is released (default 120)." };
        var tier = new Option<string?>("--tier") { Description = "dedicated or low_priority." };
        var create = new Command("create", "Create or update a compute cluster from a file or options.") { file, name, type, size, min, max, idle, tier, set };
        create.Run(context, (parse, ct) =>
        {
            var spec = SpecFiles.FromFileOrOptions<ComputeSpec>(context, parse.GetValue(file), DocumentKind.Compute, parse.GetValue(set)!,
            [
                ("name", parse.GetValue(name)), ("type", parse.GetValue(type) ?? (parse.GetValue(file) is null ? "amlcompute" : null)), ("size", parse.GetValue(size)),
                ("min_instances", Text(parse.GetValue(min))), ("max_instances", Text(parse.GetValue(max))),
                ("idle_time_before_scale_down", Text(parse.GetValue(idle))), ("tier", parse.GetValue(tier)),
            ]);
            return ResourceVerbs.PutAsync(context, parse, context.Client(parse).W("computes", spec.Name), spec, ct);
        });

        var showName = CommonOptions.Name(what: "compute");
        var show = new Command("show", "Show a compute cluster.") { showName };
        show.Run(context, (parse, ct) => ResourceVerbs.ShowAsync(context, parse, context.Client(parse).W("computes", parse.GetValue(showName)!), ct));

        var list = new Command("list", "List compute clusters.");
        list.Run(context, (parse, ct) => ResourceVerbs.ListAsync(context, parse, context.Client(parse).W("computes"), Columns, ct));

        var updateName = CommonOptions.Name(what: "compute");
        var updateSet = CommonOptions.Set();
        var updateMin = new Option<int?>("--min-instances") { Description = "Nodes kept even when idle." };
        var updateMax = new Option<int?>("--max-instances") { Description = "Most nodes the cluster may have." };
        var updateIdle = new Option<int?>("--idle-time-before-scale-down") { Description = "Seconds before an idle node is released." };
        var update = new Command("update", "Update a compute cluster's scale settings.") { updateName, updateMin, updateMax, updateIdle, updateSet };
        update.Run(context, async (parse, ct) =>
        {
            var path = context.Client(parse).W("computes", parse.GetValue(updateName)!);
            var sets = new List<string>(parse.GetValue(updateSet)!);
            AddIf(sets, "min_instances", parse.GetValue(updateMin));
            AddIf(sets, "max_instances", parse.GetValue(updateMax));
            AddIf(sets, "idle_time_before_scale_down", parse.GetValue(updateIdle));
            var spec = await ResourceVerbs.FetchAndOverrideAsync<ComputeSpec>(context, parse, path, DocumentKind.Compute, [.. sets], ct);
            return await ResourceVerbs.PutAsync(context, parse, path, spec, ct);
        });

        var deleteName = CommonOptions.Name(what: "compute");
        var yes = CommonOptions.Yes();
        var delete = new Command("delete", "Delete a compute cluster.") { deleteName, yes };
        delete.Run(context, (parse, ct) => ResourceVerbs.DeleteAsync(context, parse, context.Client(parse).W("computes", parse.GetValue(deleteName)!), ResourceVerbs.Named("compute", parse.GetValue(deleteName)!), parse.GetValue(yes), ct));

        var nodesName = CommonOptions.Name(what: "compute");
        var listNodes = new Command("list-nodes", "List a cluster's nodes with their state (starting, idle, running, leaving, preempted, unusable) and the jobs each runs.") { nodesName };
        listNodes.Run(context, (parse, ct) => ResourceVerbs.ListAsync(context, parse, context.Client(parse).W("computes", parse.GetValue(nodesName)!, "nodes"), NodeColumns, ct));

        var preemptName = CommonOptions.Name(what: "compute");
        var node = new Option<string>("--node") { Description = "The node to preempt (see list-nodes).", Required = true };
        var preempt = new Command("preempt", "Preempt a low-priority node, as a cloud does: it dies at once and its work resumes elsewhere.") { preemptName, node };
        preempt.Run(context, async (parse, ct) =>
        {
            var client = context.Client(parse);
            var result = await client.PostAsync(client.W("computes", parse.GetValue(preemptName)!, "nodes", parse.GetValue(node)!, "preempt"), "{}", ct);
            context.Out.WriteLine((string?)result["message"] ?? "Preempted.");
            return ExitCodes.Success;
        });

        group.Subcommands.Add(create);
        group.Subcommands.Add(show);
        group.Subcommands.Add(list);
        group.Subcommands.Add(update);
        group.Subcommands.Add(delete);
        group.Subcommands.Add(listNodes);
        group.Subcommands.Add(preempt);
        return group;
    }

    private static string? Text(int? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static void AddIf(List<string> sets, string key, int? value)
    {
        if (value is { } v)
        {
            sets.Add($"{key}={v.ToString(CultureInfo.InvariantCulture)}");
        }
    }
}
