using System.CommandLine;
using System.Text.Json.Nodes;
using Sluice.Cli.Infrastructure;
using Sluice.Cli.Specs;
using Sluice.Core.Specs;
using Sluice.Core.Specs.Network;
using Spectre.Console;

namespace Sluice.Cli.Commands;

/// <summary>
/// <c>sluice network nsg rule …</c>, as <c>az network nsg rule</c>: edits one rule of a security group and saves the
/// group, so a rule is validated with the whole group (unique priorities) exactly as a file would be.
/// </summary>
internal static class NsgRuleCommands
{
    private static readonly Column[] Columns =
    [
        new("name", "name"), new("priority", "priority"), new("direction", "direction"), new("access", "access"), new("protocol", "protocol"),
        new("source", "source"), new("source ports", "source_port_ranges"), new("destination", "destination"), new("destination ports", "destination_port_ranges"),
    ];

    public static Command Build(CliContext context)
    {
        var group = new Command("rule", "Manage the rules of a network security group.");

        var nsgName = NsgName();
        var name = CommonOptions.Name(what: "rule");
        var priority = new Option<int>("--priority") { Description = "100–4096, unique per direction; lower numbers are evaluated first.", Required = true };
        var direction = new Option<string>("--direction") { Description = "Inbound or Outbound.", DefaultValueFactory = _ => "Inbound" };
        var access = new Option<string>("--access") { Description = "Allow or Deny.", DefaultValueFactory = _ => "Allow" };
        var protocol = new Option<string>("--protocol") { Description = "Tcp, Udp, Icmp, Esp, Ah or * (any).", DefaultValueFactory = _ => "*" };
        var sourcePrefixes = Many("--source-address-prefixes", "Addresses, CIDRs, '*' or one service tag (default '*' unless --source-asgs is given).");
        var sourcePorts = Many("--source-port-ranges", "Ports or ranges, e.g. 80 1000-2000 (default '*').");
        var sourceGroups = Many("--source-asgs", "Application security groups of the source.");
        var destinationPrefixes = Many("--destination-address-prefixes", "Addresses, CIDRs, '*' or one service tag (default '*' unless --destination-asgs is given).");
        var destinationPorts = Many("--destination-port-ranges", "Ports or ranges (default 80, as az).");
        var destinationGroups = Many("--destination-asgs", "Application security groups of the destination.");
        var description = new Option<string?>("--description") { Description = "A description (at most 140 characters)." };
        var create = new Command("create", "Create or replace a rule in a network security group.")
        {
            nsgName, name, priority, direction, access, protocol, sourcePrefixes, sourcePorts, sourceGroups, destinationPrefixes, destinationPorts, destinationGroups, description,
        };
        create.Run(context, async (parse, ct) =>
        {
            var rule = new JsonObject
            {
                ["name"] = parse.GetValue(name),
                ["priority"] = parse.GetValue(priority),
                ["direction"] = parse.GetValue(direction),
                ["access"] = parse.GetValue(access),
                ["protocol"] = parse.GetValue(protocol),
            };
            Side(rule, "source", parse.GetValue(sourcePrefixes)!, parse.GetValue(sourceGroups)!, parse.GetValue(sourcePorts)!, "*");
            Side(rule, "destination", parse.GetValue(destinationPrefixes)!, parse.GetValue(destinationGroups)!, parse.GetValue(destinationPorts)!, "80");
            if (parse.GetValue(description) is { } text)
            {
                rule["description"] = text;
            }

            var saved = await EditAsync(context, parse, parse.GetValue(nsgName)!, rules =>
            {
                var at = IndexOf(rules, parse.GetValue(name)!);
                if (at >= 0)
                {
                    rules[at] = rule;
                }
                else
                {
                    rules.Add(rule);
                }
            }, ct);
            Output.Resource(context, Find(saved, parse.GetValue(name)!) ?? saved, GlobalOptions.FormatOf(parse, OutputFormat.Json));
            return ExitCodes.Success;
        });

        var showNsg = NsgName();
        var showName = CommonOptions.Name(what: "rule");
        var show = new Command("show", "Show a rule.") { showNsg, showName };
        show.Run(context, async (parse, ct) =>
        {
            var nsg = await FetchAsync(context, parse, parse.GetValue(showNsg)!, ct);
            var rule = Find(nsg, parse.GetValue(showName)!)
                ?? throw new CliException($"Network security group '{parse.GetValue(showNsg)}' has no rule '{parse.GetValue(showName)}'.", ExitCodes.Invalid, hint: $"list its rules with 'sluice network nsg rule list --nsg-name {parse.GetValue(showNsg)}'");
            Output.Resource(context, rule, GlobalOptions.FormatOf(parse, OutputFormat.Json));
            return ExitCodes.Success;
        });

        var listNsg = NsgName();
        var list = new Command("list", "List the rules of a network security group.") { listNsg };
        list.Run(context, async (parse, ct) =>
        {
            var nsg = await FetchAsync(context, parse, parse.GetValue(listNsg)!, ct);
            var rules = (nsg["security_rules"] as JsonArray)?.DeepClone().AsArray() ?? [];
            var format = GlobalOptions.FormatOf(parse, OutputFormat.Table);
            if (format == OutputFormat.Table)
            {
                foreach (var rule in rules.OfType<JsonObject>())
                {
                    rule["source"] = Describe(rule, "source");
                    rule["destination"] = Describe(rule, "destination");
                    rule["source_port_ranges"] = NetworkCommands.Joined(rule["source_port_ranges"]);
                    rule["destination_port_ranges"] = NetworkCommands.Joined(rule["destination_port_ranges"]);
                }
            }

            Output.List(context, rules, format, Columns);
            return ExitCodes.Success;
        });

        var deleteNsg = NsgName();
        var deleteName = CommonOptions.Name(what: "rule");
        var delete = new Command("delete", "Delete a rule from a network security group.") { deleteNsg, deleteName };
        delete.Run(context, async (parse, ct) =>
        {
            var ruleName = parse.GetValue(deleteName)!;
            await EditAsync(context, parse, parse.GetValue(deleteNsg)!, rules =>
            {
                var at = IndexOf(rules, ruleName);
                if (at < 0)
                {
                    throw new CliException($"Network security group '{parse.GetValue(deleteNsg)}' has no rule '{ruleName}'.", ExitCodes.Invalid);
                }

                rules.RemoveAt(at);
            }, ct);
            context.Console.MarkupLine($"Deleted rule {Markup.Escape(ruleName)}.");
            return ExitCodes.Success;
        });

        group.Subcommands.Add(create);
        group.Subcommands.Add(show);
        group.Subcommands.Add(list);
        group.Subcommands.Add(delete);
        return group;
    }

    private static Option<string> NsgName() => new("--nsg-name") { Description = "The network security group's name.", Required = true };

    private static Option<string[]> Many(string name, string description) => new(name)
    {
        Description = description,
        AllowMultipleArgumentsPerToken = true,
        DefaultValueFactory = _ => [],
    };

    /// <summary>One side of a rule with az's defaults; one value is written with the singular key, as Azure does.</summary>
    private static void Side(JsonObject rule, string side, string[] prefixes, string[] groups, string[] ports, string defaultPort)
    {
        if (groups.Length > 0)
        {
            rule[$"{side}_application_security_groups"] = new JsonArray([.. groups.Select(g => (JsonNode)g)]);
        }

        if (prefixes.Length > 0 || groups.Length == 0)
        {
            rule[$"{side}_address_prefixes"] = new JsonArray([.. (prefixes.Length > 0 ? prefixes : ["*"]).Select(p => (JsonNode)p)]);
        }

        rule[$"{side}_port_ranges"] = new JsonArray([.. (ports.Length > 0 ? ports : [defaultPort]).Select(p => (JsonNode)p)]);
    }

    private static async Task<JsonObject> FetchAsync(CliContext context, ParseResult parse, string nsg, CancellationToken cancellationToken)
    {
        var client = context.Client(parse);
        return await client.GetAsync(client.W(NetworkCommands.Collection(ResourceKind.NetworkSecurityGroup), nsg), cancellationToken);
    }

    /// <summary>Fetches the group, edits its rules, validates the result like a file and saves it; returns what the server stored.</summary>
    private static async Task<JsonObject> EditAsync(CliContext context, ParseResult parse, string nsg, Action<JsonArray> edit, CancellationToken cancellationToken)
    {
        var client = context.Client(parse);
        var path = client.W(NetworkCommands.Collection(ResourceKind.NetworkSecurityGroup), nsg);
        var current = await client.GetAsync(path, cancellationToken);
        foreach (var serverOwned in new[] { "id", "creation_context", "warnings" })
        {
            current.Remove(serverOwned);
        }

        if (current["security_rules"] is not JsonArray rules)
        {
            rules = [];
            current["security_rules"] = rules;
        }

        edit(rules);
        var spec = SpecFiles.ReadText<NetworkSecurityGroupSpec>(context, current.ToJsonString(), $"network security group '{nsg}'", DocumentKind.NetworkSecurityGroup);
        var saved = await client.PutAsync(path, Core.Serialization.SpecCodec.Encode(spec), cancellationToken);
        ResourceVerbs.PrintWarnings(context, saved);
        return saved;
    }

    private static int IndexOf(JsonArray rules, string name)
    {
        for (var i = 0; i < rules.Count; i++)
        {
            if ((string?)rules[i]?["name"] == name)
            {
                return i;
            }
        }

        return -1;
    }

    private static JsonObject? Find(JsonObject nsg, string name) =>
        (nsg["security_rules"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(r => (string?)r["name"] == name)?.DeepClone().AsObject();

    private static string Describe(JsonObject rule, string side)
    {
        var values = (rule[$"{side}_address_prefixes"] as JsonArray ?? []).Concat(rule[$"{side}_application_security_groups"] as JsonArray ?? []);
        return string.Join(", ", values.Select(v => (string?)v));
    }
}
