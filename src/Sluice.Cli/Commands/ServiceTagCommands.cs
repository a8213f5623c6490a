using System.CommandLine;
using System.Text.Json.Nodes;
using Sluice.Cli.Infrastructure;
using Sluice.Core.Specs;

namespace Sluice.Cli.Commands;

/// <summary>
/// <c>sluice network service-tag …</c>: user-defined tags (create/show/update/delete, like other resources), imports
/// of Azure's published ServiceTags JSON files, and one list of both.
/// </summary>
internal static class ServiceTagCommands
{
    private static readonly Column[] Columns = [new("name", "name"), new("source", "source"), new("cloud", "cloud"), new("change", "change_number"), new("tags", "tag_count"), new("prefixes", "prefix_count")];

    public static Command Build(CliContext context)
    {
        var group = NetworkCommands.Resource(context, ResourceKind.ServiceTag, "service-tag",
            "Manage service tags: names for address prefixes that rules and routes use. User-defined tags, and sets imported from Azure's ServiceTags_*.json files.",
            Columns);
        group.Subcommands.Remove(group.Subcommands.Single(c => c.Name == "list"));

        var list = new Command("list", "List user-defined tags and imported sets, with their prefix counts.");
        list.Run(context, async (parse, ct) =>
        {
            var client = context.Client(parse);
            var result = await client.GetAsync(client.W("service-tags"), ct);
            var rows = new JsonArray();
            foreach (var tag in (result["value"] as JsonArray ?? []).OfType<JsonObject>())
            {
                rows.Add(new JsonObject { ["name"] = tag["name"]?.DeepClone(), ["source"] = "user", ["tag_count"] = 1, ["prefix_count"] = tag["prefix_count"]?.DeepClone() });
            }

            foreach (var set in (result["imported_sets"] as JsonArray ?? []).OfType<JsonObject>())
            {
                rows.Add(set.DeepClone());
            }

            Output.List(context, rows, GlobalOptions.FormatOf(parse, OutputFormat.Table), Columns);
            return ExitCodes.Success;
        });

        var file = new Option<string>("--file", "-f") { Description = "Azure's service tag file, e.g. ServiceTags_Public_20250101.json (up to 32 MiB).", Required = true };
        var setName = new Option<string?>("--name", "-n") { Description = "The set's name (default: the file's 'cloud', e.g. Public). Importing under an existing name replaces that set." };
        var import = new Command("import", "Import Azure's published service tags (the ServiceTags_*.json download) into the workspace.") { file, setName };
        import.Run(context, async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path))
            {
                throw new CliException($"{path}: file not found.", ExitCodes.Invalid);
            }

            var client = context.Client(parse);
            var route = client.W("service-tags", "import") + (parse.GetValue(setName) is { } n ? $"?name={Uri.EscapeDataString(n)}" : string.Empty);
            var saved = await client.PostAsync(route, await File.ReadAllTextAsync(path, ct), ct);
            Output.Resource(context, saved, GlobalOptions.FormatOf(parse, OutputFormat.Json));
            return ExitCodes.Success;
        });

        var deleteSetName = new Option<string>("--name", "-n") { Description = "The imported set's name.", Required = true };
        var yes = CommonOptions.Yes();
        var deleteSet = new Command("delete-set", "Delete an imported set of service tags (refused while rules use tags only it defines).") { deleteSetName, yes };
        deleteSet.Run(context, (parse, ct) => ResourceVerbs.DeleteAsync(context, parse, context.Client(parse).W("service-tag-sets", parse.GetValue(deleteSetName)!), $"service tag set '{parse.GetValue(deleteSetName)}'", parse.GetValue(yes), ct));

        group.Subcommands.Add(list);
        group.Subcommands.Add(import);
        group.Subcommands.Add(deleteSet);
        return group;
    }
}
