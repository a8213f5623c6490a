using System.CommandLine;
using System.Text.Json.Nodes;
using Sluice.Cli.Infrastructure;
using Sluice.Core.Diagnostics;
using Sluice.Core.Specs;
using Sluice.Core.Yaml;

namespace Sluice.Cli.Commands;

/// <summary>
/// <c>sluice validate -f FILE…</c>: offline, no server. Exit 0 when every file is valid, 5 otherwise. A file may hold
/// several documents separated by <c>---</c> (a network, typically); each is checked, and against the others.
/// </summary>
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
        var command = new Command("validate", "Validate Azure ML and Sluice network YAML files offline (several documents per file allowed): every problem with its file, line and column.") { files, skipLocalPaths };
        command.Run(context, (parse, _) =>
        {
            var options = new SpecReadOptions { CheckLocalPaths = !parse.GetValue(skipLocalPaths) };
            var perFile = parse.GetValue(files)!.Select(f => (File: f, Results: SpecReader.ReadAllFile(f, options))).ToList();
            var results = perFile.SelectMany(f => f.Results.Select(r => (f.File, Result: r, Several: f.Results.Count > 1))).ToList();
            if (GlobalOptions.FormatOf(parse, OutputFormat.Table) == OutputFormat.Json)
            {
                var array = new JsonArray();
                foreach (var (file, result, several) in results)
                {
                    array.Add(new JsonObject
                    {
                        ["file"] = file,
                        ["document"] = several ? result.Document : null,
                        ["line"] = several ? result.Line : null,
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
                foreach (var (file, result, several) in results)
                {
                    foreach (var diagnostic in result.Diagnostics)
                    {
                        (diagnostic.Severity == Severity.Error ? context.Error : context.Out).WriteLine(diagnostic.ToString());
                    }

                    if (result.IsValid && several)
                    {
                        context.Out.WriteLine($"{file}:{result.Line}: valid ({SpecReader.Describe(result.Kind!.Value)} '{(result.Spec as ResourceSpec)?.Name}')");
                    }
                    else if (result.IsValid)
                    {
                        context.Out.WriteLine($"{file}: valid ({SpecReader.Describe(result.Kind!.Value)})");
                    }
                }

                var invalid = perFile.Count(f => f.Results.Any(r => !r.IsValid));
                if (invalid > 0)
                {
                    context.Error.WriteLine($"{invalid} of {perFile.Count} file{(perFile.Count == 1 ? string.Empty : "s")} invalid.");
                }
            }

            return Task.FromResult(results.All(r => r.Result.IsValid) ? ExitCodes.Success : ExitCodes.Invalid);
        });
        return command;
    }
}
