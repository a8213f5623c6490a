using System.CommandLine;
using System.Text.Json.Nodes;
using Sluice.Cli.Infrastructure;
using Sluice.Core.Diagnostics;
using Sluice.Core.Specs;
using Sluice.Core.Yaml;

namespace Sluice.Cli.Commands;

/// <summary><c>sluice validate -f FILE…</c>: offline, no server. Exit 0 when every file is valid, 5 otherwise.</summary>
internal static class ValidateCommand
{
    public static Command Build(CliContext context)
    {
        var files = new Option<string[]>("--file", "-f")
        {
            Description = "YAML files to validate (repeatable).",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var skipLocalPaths = new Option<bool>("--skip-local-paths") { Description = "Do not check that local paths exist (for files read away from their project folder)." };
        var command = new Command("validate", "Validate Azure ML YAML files offline: every problem with its file, line and column.") { files, skipLocalPaths };
        command.Run(context, (parse, _) =>
        {
            var options = new SpecReadOptions { CheckLocalPaths = !parse.GetValue(skipLocalPaths) };
            var results = parse.GetValue(files)!.Select(f => (File: f, Result: SpecReader.ReadFile(f, options))).ToList();
            if (GlobalOptions.FormatOf(parse, OutputFormat.Table) == OutputFormat.Json)
            {
                var array = new JsonArray();
                foreach (var (file, result) in results)
                {
                    array.Add(new JsonObject
                    {
                        ["file"] = file,
                        ["kind"] = result.Kind is { } k ? SnakeCase.From(k.ToString()) : null,
                        ["valid"] = result.IsValid,
                        ["problems"] = new JsonArray([.. result.Diagnostics.Select(d => (JsonNode)new JsonObject
                        {
                            ["location"] = d.Location.ToString(),
                            ["severity"] = d.Severity == Severity.Error ? "error" : "warning",
                            ["message"] = d.Message,
                        })]),
                    });
                }

                context.Out.WriteLine(array.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
            }
            else
            {
                foreach (var (file, result) in results)
                {
                    foreach (var diagnostic in result.Diagnostics)
                    {
                        (diagnostic.Severity == Severity.Error ? context.Error : context.Out).WriteLine(diagnostic.ToString());
                    }

                    if (result.IsValid)
                    {
                        context.Out.WriteLine($"{file}: valid ({SpecReader.Describe(result.Kind!.Value)})");
                    }
                }

                var invalid = results.Count(r => !r.Result.IsValid);
                if (invalid > 0)
                {
                    context.Error.WriteLine($"{invalid} of {results.Count} file{(results.Count == 1 ? string.Empty : "s")} invalid.");
                }
            }

            return Task.FromResult(results.All(r => r.Result.IsValid) ? ExitCodes.Success : ExitCodes.Invalid);
        });
        return command;
    }
}
