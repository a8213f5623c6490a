using System.CommandLine;
using System.Text.Json.Nodes;
using Sluice.Cli.Infrastructure;
using Spectre.Console;

namespace Sluice.Cli.Commands;

/// <summary><c>sluice workspace diagnose</c>, as <c>az ml workspace diagnose</c>: the workspace's network checked against a rule set.</summary>
internal static class WorkspaceDiagnoseCommand
{
    /// <summary>The groups in Azure ML's order, with the words its report uses.</summary>
    private static readonly (string Key, string Title)[] Groups =
    [
        ("user_defined_routes", "User-defined routes"),
        ("network_security_rules", "Network security rules"),
        ("dns_resolution", "DNS resolution"),
        ("storage_account", "Storage account"),
        ("key_vault", "Key vault (secret store)"),
        ("container_registry", "Container registry"),
        ("other", "Other"),
    ];

    public static Command Build(CliContext context)
    {
        var name = CommonOptions.Name(what: "workspace");
        var rules = new Option<string>("--rules") { Description = "azure: Azure ML's documented requirements for a modelled Azure deployment; sluice: what Sluice's own deployment needs.", DefaultValueFactory = _ => "azure" };
        rules.AcceptOnlyFromAmong("azure", "sluice");
        var fail = new Option<bool>("--fail-on-errors") { Description = $"Exit with {ExitCodes.Findings} when a finding is an Error (for CI); without it the report exits 0." };
        var command = new Command("diagnose", "Diagnose the workspace's network: routes, security rules, DNS, storage, secret store, registry and more, each finding with its fix.") { name, rules, fail };
        command.Run(context, async (parse, ct) =>
        {
            var client = context.Client(parse);
            var workspace = parse.GetValue(name)!;
            var report = await client.PostAsync($"/workspaces/{Uri.EscapeDataString(workspace)}/diagnose?rules={parse.GetValue(rules)}", "{}", ct);
            if (GlobalOptions.FormatOf(parse, OutputFormat.Table) == OutputFormat.Json)
            {
                Output.Resource(context, report, OutputFormat.Json);
            }
            else
            {
                Print(context, report);
            }

            var errors = Groups.SelectMany(g => report[g.Key] as JsonArray ?? []).Count(f => (string?)f?["level"] == "Error");
            return errors > 0 && parse.GetValue(fail) ? ExitCodes.Findings : ExitCodes.Success;
        });
        return command;
    }

    private static void Print(CliContext context, JsonObject report)
    {
        var total = 0;
        foreach (var (key, title) in Groups)
        {
            var findings = (report[key] as JsonArray ?? []).OfType<JsonObject>().ToList();
            total += findings.Count;
            if (findings.Count == 0)
            {
                context.Console.MarkupLine($"[green]✓[/] {Markup.Escape(title)}: no problems");
                continue;
            }

            var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape(title)).AddColumn("level").AddColumn("code").AddColumn("message");
            foreach (var finding in findings)
            {
                var level = (string?)finding["level"] ?? string.Empty;
                var color = level switch { "Error" => "red", "Warning" => "yellow", _ => "blue" };
                table.AddRow($"[{color}]{Markup.Escape(level)}[/]", Markup.Escape((string?)finding["code"] ?? string.Empty), Markup.Escape((string?)finding["message"] ?? string.Empty));
            }

            context.Console.Write(table);
        }

        context.Console.MarkupLine($"{total} finding{(total == 1 ? string.Empty : "s")} ({Markup.Escape((string?)report["rules"] ?? string.Empty)} rules).");
    }
}
