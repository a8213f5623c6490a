using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Sluice.Cli.Infrastructure;
using Spectre.Console;

namespace Sluice.Cli.Commands;

/// <summary>
/// The questions of <c>az network watcher</c>, asked of the workspace's modelled network: <c>verify-flow</c> (IP flow
/// verify and next hop in one, through to the destination), <c>effective-rules</c>, <c>next-hop</c> and <c>lint</c>.
/// Tables for people by default; <c>-o json</c> prints the server's answer as is.
/// </summary>
internal static class NetworkQuestionCommands
{
    /// <summary>Prefixes shown per cell of a table; JSON has them all.</summary>
    private const int PrefixesPerCell = 6;

    public static void AddTo(Command network, CliContext context)
    {
        network.Subcommands.Add(VerifyFlow(context));
        network.Subcommands.Add(EffectiveRules(context));
        network.Subcommands.Add(NextHop(context));
        network.Subcommands.Add(Lint(context));
    }

    private static Command VerifyFlow(CliContext context)
    {
        var source = new Option<string>("--source") { Description = "Where the flow starts: a network interface, <compute>/<node>, or an IP address (an interface's, or an outside one).", Required = true };
        var destination = new Option<string>("--destination") { Description = "An IP address, nic:NAME, private-endpoint:NAME, storage-account:NAME[:blob|file|queue|table|dfs], secret-store:NAME, registry:NAME, workspace:NAME, or a host name (NAME.blob.core.windows.net).", Required = true };
        var port = new Option<int?>("--port", "--destination-port") { Description = "The destination port (required for Tcp and Udp, except to a service: 443)." };
        var protocol = new Option<string?>("--protocol") { Description = "Tcp (default), Udp, Icmp, Esp or Ah." };
        var direction = new Option<string?>("--direction") { Description = "Outbound (default): the whole path from the source. Inbound: the security rules at the destination interface for traffic from the source, as 'az network watcher test-ip-flow'." };
        var sourcePort = new Option<int?>("--source-port") { Description = "The source port (default 49152)." };
        var command = new Command("verify-flow", "Follow a flow through the network: security rules at each level, the route, how it leaves, the service's firewall, and why (as 'az network watcher test-ip-flow' and 'show-next-hop').")
        {
            source, destination, port, protocol, direction, sourcePort,
        };
        command.Run(context, async (parse, ct) =>
        {
            var body = new JsonObject { ["source"] = parse.GetValue(source), ["destination"] = parse.GetValue(destination) };
            Put(body, "destination_port", parse.GetValue(port));
            Put(body, "protocol", parse.GetValue(protocol));
            Put(body, "direction", parse.GetValue(direction));
            Put(body, "source_port", parse.GetValue(sourcePort));
            var client = context.Client(parse);
            var verdict = await client.PostAsync(client.W("network", "verify-flow"), body.ToJsonString(), ct);
            if (!Json(context, parse, verdict))
            {
                PrintVerdict(context, verdict);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command EffectiveRules(CliContext context)
    {
        var nic = new Option<string?>("--nic") { Description = "A network interface (or compute node, <compute>/<node>): its subnet's rules and its own." };
        var vnet = new Option<string?>("--vnet") { Description = "A virtual network; with --subnet, the rules of the subnet's security group." };
        var subnet = new Option<string?>("--subnet") { Description = "A subnet of --vnet." };
        var command = new Command("effective-rules", "The security rules that apply to an interface or subnet, per level in evaluation order, tags and application security groups expanded, default rules included (as 'az network nic list-effective-nsg').")
        {
            nic, vnet, subnet,
        };
        command.Run(context, async (parse, ct) =>
        {
            var client = context.Client(parse);
            var rules = await client.GetAsync(client.W("network", "effective-rules") + Query(("nic", parse.GetValue(nic)), ("virtual_network", parse.GetValue(vnet)), ("subnet", parse.GetValue(subnet))), ct);
            if (!Json(context, parse, rules))
            {
                PrintRules(context, rules);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command NextHop(CliContext context)
    {
        var source = new Option<string>("--source") { Description = "A network interface, <compute>/<node>, a compute, <vnet>/<subnet>, or an address in a subnet.", Required = true };
        var destination = new Option<string?>("--destination") { Description = "The IP address (or resource, as for verify-flow) the traffic is for." };
        var all = new Option<bool>("--all") { Description = "Also list the subnet's effective routes, the chosen one marked (as 'az network nic show-effective-route-table'); without --destination, only them." };
        var command = new Command("next-hop", "The next hop from a place in the network to an address, and the route chosen (as 'az network watcher show-next-hop').") { source, destination, all };
        command.Run(context, async (parse, ct) =>
        {
            var client = context.Client(parse);
            if (parse.GetValue(destination) is not { } target)
            {
                if (!parse.GetValue(all))
                {
                    throw new CliException("--destination is required (or --all, for the effective routes alone).", ExitCodes.Invalid);
                }

                var table = await client.GetAsync(client.W("network", "effective-routes") + Query(("source", parse.GetValue(source))), ct);
                if (!Json(context, parse, table))
                {
                    context.Console.MarkupLine($"Effective routes of subnet [bold]{Markup.Escape($"{(string?)table["virtual_network"]}/{(string?)table["subnet"]}")}[/]{RouteTableNote(table)}:");
                    PrintRoutes(context, table["value"] as JsonArray ?? []);
                }

                return ExitCodes.Success;
            }

            var hop = await client.GetAsync(client.W("network", "next-hop") + Query(("source", parse.GetValue(source)), ("destination", target)), ct);
            if (!Json(context, parse, hop))
            {
                PrintNextHop(context, hop, parse.GetValue(all));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Lint(CliContext context)
    {
        var nsg = new Option<string?>("--nsg", "--nsg-name") { Description = "One network security group (default: all of the workspace's)." };
        var fail = new Option<bool>("--fail-on-findings") { Description = $"Exit with {ExitCodes.Findings} when there are findings (for CI); without it, findings are a report and the exit code is 0." };
        var command = new Command("lint", "Find security rules that never match (with the earlier rules that block them), duplicates, rules that match nothing, and rules broader than their names.") { nsg, fail };
        command.Run(context, async (parse, ct) =>
        {
            var client = context.Client(parse);
            var report = await client.GetAsync(client.W("network", "lint") + Query(("network_security_group", parse.GetValue(nsg))), ct);
            if (!Json(context, parse, report))
            {
                PrintLint(context, report);
            }

            var findings = (int?)report["finding_count"] ?? 0;
            return findings > 0 && parse.GetValue(fail) ? ExitCodes.Findings : ExitCodes.Success;
        });
        return command;
    }

    private static void PrintVerdict(CliContext context, JsonObject verdict)
    {
        var access = (string?)verdict["access"];
        context.Console.MarkupLine($"{(access == "Allow" ? "[green]Allow[/]" : "[red]Deny[/]")} ({Markup.Escape((string?)verdict["outcome"] ?? string.Empty)})");
        var summary = KeyValues();
        Row(summary, "source", Place(verdict["source"]));
        Row(summary, "destination", Target(verdict["destination"]));
        var ports = verdict["destination_port"] is null ? string.Empty : $" {(int?)verdict["source_port"]} -> {(int?)verdict["destination_port"]}";
        Row(summary, "flow", $"{(string?)verdict["direction"]} {(string?)verdict["protocol"]}{ports}");
        Row(summary, "deciding rule", Decision(verdict["deciding_rule"]) ?? "none (no security group applied)");
        Row(summary, "route", Route(verdict["route"]));
        Row(summary, "egress", verdict["egress"] is null ? null : $"{(string?)verdict["egress"]}{((string?)verdict["nat_gateway"] is { } nat ? $" ({nat})" : string.Empty)}");
        Row(summary, "destination resource", (string?)verdict["destination_resource"]);
        if (verdict["service_access"] is JsonObject service)
        {
            Row(summary, "service", $"{(string?)service["resource"]}: {(string?)service["access"]}");
        }

        context.Console.Write(summary);

        var decisions = verdict["security_decisions"] as JsonArray ?? [];
        if (decisions.Count > 0)
        {
            var table = new Table().Border(TableBorder.Rounded);
            foreach (var header in new[] { "direction", "level", "associated with", "nsg", "rule", "priority", "access", "default" })
            {
                table.AddColumn(header);
            }

            foreach (var decision in decisions.OfType<JsonObject>())
            {
                table.AddRow(
                    Cell(decision["direction"]), Cell(decision["level"]), Cell(decision["associated_with"]), Cell(decision["network_security_group"] ?? "(none)"),
                    Cell(decision["rule"]), Cell(decision["priority"]), Cell(decision["access"]), (bool?)decision["is_default"] == true ? "yes" : string.Empty);
            }

            context.Console.Write(table);
        }

        Explanation(context, verdict["explanation"]);
    }

    private static void PrintRules(CliContext context, JsonObject rules)
    {
        var where = (string?)rules["network_interface"] is { } nic ? $"network interface {nic} (subnet {(string?)rules["virtual_network"]}/{(string?)rules["subnet"]})" : $"subnet {(string?)rules["virtual_network"]}/{(string?)rules["subnet"]}";
        context.Console.MarkupLine($"Effective security rules of [bold]{Markup.Escape(where)}[/]");
        foreach (var direction in new[] { "inbound", "outbound" })
        {
            foreach (var level in (rules[direction] as JsonArray ?? []).OfType<JsonObject>())
            {
                var title = $"{char.ToUpperInvariant(direction[0])}{direction[1..]}, {(string?)level["level"]} {(string?)level["associated_with"]}";
                if ((string?)level["network_security_group"] is not { } group)
                {
                    context.Console.MarkupLine($"[bold]{Markup.Escape(title)}[/]: no network security group, all traffic passes this level.");
                    continue;
                }

                context.Console.MarkupLine($"[bold]{Markup.Escape(title)}[/]: {Markup.Escape(group)}");
                var table = new Table().Border(TableBorder.Rounded);
                foreach (var header in new[] { "priority", "name", "access", "protocol", "source", "source ports", "destination", "destination ports", "default" })
                {
                    table.AddColumn(header);
                }

                foreach (var rule in (level["rules"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    table.AddRow(
                        Cell(rule["priority"]), Cell(rule["name"]), Cell(rule["access"]), Cell(rule["protocol"]),
                        Markup.Escape(Addresses(rule["source_address_prefixes"], rule["source_expanded_from"])), Markup.Escape(Joined(rule["source_port_ranges"])),
                        Markup.Escape(Addresses(rule["destination_address_prefixes"], rule["destination_expanded_from"])), Markup.Escape(Joined(rule["destination_port_ranges"])),
                        (bool?)rule["is_default"] == true ? "yes" : string.Empty);
                }

                context.Console.Write(table);
            }
        }
    }

    private static void PrintNextHop(CliContext context, JsonObject hop, bool all)
    {
        var summary = KeyValues();
        Row(summary, "source", Place(hop["source"]));
        Row(summary, "destination", Target(hop["destination"]));
        Row(summary, "next hop type", (string?)hop["next_hop_type"] ?? "none (no route matches)");
        Row(summary, "next hop ip address", (string?)hop["next_hop_ip_address"]);
        Row(summary, "route", Route(hop["route"]));
        Row(summary, "route table", (string?)hop["route_table"] ?? (hop["route"] is null ? null : "System Route"));
        context.Console.Write(summary);
        if (all)
        {
            PrintRoutes(context, hop["effective_routes"] as JsonArray ?? []);
        }

        Explanation(context, hop["explanation"]);
    }

    private static void PrintRoutes(CliContext context, JsonArray routes)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var header in new[] { string.Empty, "source", "state", "address prefix", "next hop type", "next hop ip", "name", "note" })
        {
            table.AddColumn(header);
        }

        foreach (var route in routes.OfType<JsonObject>())
        {
            var note = (string?)route["invalid_reason"] ?? ((string?)route["service_tag"] is { } tag ? $"tag {tag}" : null) ?? ((string?)route["target"] is { } target ? $"to {target}" : null);
            table.AddRow((bool?)route["chosen"] == true ? ">" : string.Empty, Cell(route["source"]), Cell(route["state"]), Cell(route["address_prefix"]), Cell(route["next_hop_type"]),
                Cell(route["next_hop_ip_address"]), Cell(route["name"]), Markup.Escape(note ?? string.Empty));
        }

        context.Console.Write(table);
    }

    private static void PrintLint(CliContext context, JsonObject report)
    {
        var groups = (int?)report["network_security_group_count"] ?? 0;
        var total = (int?)report["finding_count"] ?? 0;
        if (total == 0)
        {
            context.Console.MarkupLine($"No findings in {groups} network security group{(groups == 1 ? string.Empty : "s")}.");
            return;
        }

        var table = new Table().Border(TableBorder.Rounded);
        foreach (var header in new[] { "nsg", "direction", "priority", "rule", "finding", "blocking rules", "reason" })
        {
            table.AddColumn(header);
        }

        foreach (var group in (report["value"] as JsonArray ?? []).OfType<JsonObject>())
        {
            foreach (var finding in (group["findings"] as JsonArray ?? []).OfType<JsonObject>())
            {
                table.AddRow(Cell(group["network_security_group"]), Cell(finding["direction"]), Cell(finding["priority"]), Cell(finding["rule"]), Cell(finding["kind"]),
                    Markup.Escape(Joined(finding["blocking_rules"])), Cell(finding["reason"]));
            }
        }

        context.Console.Write(table);
        context.Console.MarkupLine($"{total} finding{(total == 1 ? string.Empty : "s")} in {groups} network security group{(groups == 1 ? string.Empty : "s")}.");
    }

    /// <summary>Prints the server's answer when JSON is asked for; returns whether it did.</summary>
    private static bool Json(CliContext context, ParseResult parse, JsonObject answer)
    {
        if (GlobalOptions.FormatOf(parse, OutputFormat.Table) != OutputFormat.Json)
        {
            return false;
        }

        Output.Resource(context, answer, OutputFormat.Json);
        return true;
    }

    private static void Explanation(CliContext context, JsonNode? steps)
    {
        var lines = (steps as JsonArray ?? []).Select(s => (string?)s).ToList();
        if (lines.Count == 0)
        {
            return;
        }

        context.Console.MarkupLine("[bold]Explanation[/]");
        for (var i = 0; i < lines.Count; i++)
        {
            context.Console.MarkupLine($"{(i + 1).ToString(CultureInfo.InvariantCulture),2}. {Markup.Escape(lines[i] ?? string.Empty)}");
        }
    }

    private static Table KeyValues() => new Table().Border(TableBorder.Rounded).HideHeaders().AddColumn("key").AddColumn("value");

    private static void Row(Table table, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            table.AddRow(Markup.Escape(key), Markup.Escape(value));
        }
    }

    private static string Place(JsonNode? place)
    {
        var input = (string?)place?["input"];
        var nic = (string?)place?["network_interface"];
        var subnet = (string?)place?["subnet"];
        var address = (string?)place?["ip_address"];
        var details = string.Join(", ", new[] { nic is not null && nic != input ? $"interface {nic}" : null, address != input ? address : null, subnet is null ? null : $"subnet {subnet}" }.Where(d => d is not null));
        var external = (bool?)place?["external"] == true ? " (outside the modelled networks)" : string.Empty;
        return $"{input}{(details.Length == 0 ? string.Empty : $" ({details})")}{external}";
    }

    private static string Target(JsonNode? target)
    {
        var address = (string?)target?["ip_address"];
        var input = (string?)target?["input"];
        var how = (string?)target?["resolved_via"] switch
        {
            "private_endpoint" => $"private endpoint {(string?)target?["private_endpoint"]}",
            "public_address" => "public address",
            "network_interface" => $"interface {(string?)target?["network_interface"]}",
            _ => null,
        };
        var resource = (string?)target?["resource"] is { } r ? $"{r}{((string?)target?["group_id"] is { } g ? $" ({g})" : string.Empty)}" : null;
        // A host name is worth repeating; a resource written kind:name is what the resource column already says.
        var named = input != address && input?.Contains(':', StringComparison.Ordinal) == false && (string?)target?["resolved_via"] != "network_interface" ? input : null;
        var details = string.Join(", ", new[] { named, resource, how }.Where(d => d is not null));
        return details.Length == 0 ? address ?? string.Empty : $"{address} ({details})";
    }

    private static string? Decision(JsonNode? decision) => decision is null ? null
        : $"{(string?)decision["network_security_group"]}/{(string?)decision["rule"]} (priority {(int?)decision["priority"]}{((bool?)decision["is_default"] == true ? ", default rule" : string.Empty)}; {(string?)decision["direction"]} at {(string?)decision["level"]} {(string?)decision["associated_with"]}): {(string?)decision["access"]}";

    private static string? Route(JsonNode? route) => route is null ? null
        : $"{(string?)route["address_prefix"]} -> {(string?)route["next_hop_type"]}{((string?)route["next_hop_ip_address"] is { } ip ? $" {ip}" : string.Empty)} [{(string?)route["source"]}{((string?)route["name"] is { } name ? $" '{name}'" : string.Empty)}]";

    private static string RouteTableNote(JsonObject table) => (string?)table["route_table"] is { } name ? $" (route table {Markup.Escape(name)})" : string.Empty;

    /// <summary>A rule's addresses: the tags or groups they came from, then the prefixes (the first few).</summary>
    private static string Addresses(JsonNode? prefixes, JsonNode? expandedFrom)
    {
        var all = (prefixes as JsonArray ?? []).Select(p => (string?)p ?? string.Empty).ToList();
        var shown = all.Count == 0 ? "(none)" : string.Join(", ", all.Take(PrefixesPerCell)) + (all.Count > PrefixesPerCell ? $", … (+{all.Count - PrefixesPerCell} more)" : string.Empty);
        var from = Joined(expandedFrom);
        return from.Length == 0 ? shown : $"{from}: {shown}";
    }

    private static string Joined(JsonNode? list) => string.Join(", ", (list as JsonArray ?? []).Select(v => (string?)v));

    private static string Cell(JsonNode? value) => Markup.Escape(Output.Text(value));

    private static void Put<T>(JsonObject body, string key, T? value)
    {
        if (value is not null)
        {
            body[key] = JsonValue.Create(value);
        }
    }

    private static string Query(params (string Key, string? Value)[] pairs)
    {
        var given = pairs.Where(p => p.Value is not null).Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value!)}").ToList();
        return given.Count == 0 ? string.Empty : "?" + string.Join('&', given);
    }
}
