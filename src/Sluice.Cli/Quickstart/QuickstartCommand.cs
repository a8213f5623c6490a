using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Sluice.Cli.Commands;
using Sluice.Cli.Infrastructure;
using Sluice.Data.Store;
using Sluice.Server.Hosting;
using Spectre.Console;

namespace Sluice.Cli.Quickstart;

/// <summary>
/// <c>sluice quickstart</c>: writes a sample project, starts the embedded server in-process, and runs the same CLI
/// commands a user would — printing each one so it can be repeated by hand against <c>sluice server</c>.
/// </summary>
internal static class QuickstartCommand
{
    public static Command Build(CliContext context)
    {
        var dir = new Option<string>("--dir") { Description = "The sample folder.", DefaultValueFactory = _ => "sluice-quickstart" };
        var dataDir = ServerCommands.DataDir();
        var command = new Command("quickstart", "Run a whole batch scoring job on the embedded server: model, data, endpoint, deployment, job, predictions.") { dir, dataDir };
        command.Run(context, (parse, ct) => RunAsync(context, parse.GetValue(dir)!, parse.GetValue(dataDir), parse.GetValue(GlobalOptions.Workspace)!, ct));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, string folder, string? dataDirectory, string workspace, CancellationToken cancellationToken)
    {
        var console = context.Console;
        var data = Path.GetFullPath(dataDirectory ?? StoreOptions.DefaultDataDirectory());
        console.MarkupLine("[bold]Sluice quickstart[/]: a batch scoring job on the embedded server.");
        var project = QuickstartProject.Prepare(folder, out var created);
        var shown = Relative(project.Folder);
        console.MarkupLine(created
            ? $"Wrote [bold]{Markup.Escape(shown)}/[/]: an ONNX classifier trained on synthetic data, {QuickstartProject.Files} CSV files ({QuickstartProject.TotalRows} rows), endpoint.yml, deployment.yml."
            : $"Reusing [bold]{Markup.Escape(shown)}/[/] from an earlier run.");

        var started = Stopwatch.StartNew();
        var options = new SluiceServerOptions { DataDirectory = data, Urls = "http://127.0.0.1:0" };
        await using var app = SluiceServer.Build(options, logging => logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning));
        await SluiceServer.StartAsync(app, cancellationToken);
        var url = app.Urls.First();
        console.MarkupLine($"Started the embedded server on {url} (data in {Markup.Escape(data)}) in {started.Elapsed.TotalSeconds:0.0} s.");
        console.WriteLine();

        try
        {
            var steps = new Steps(context, url, workspace, cancellationToken);
            await steps.RunAsync($"batch-endpoint create -f {shown}/endpoint.yml", "batch-endpoint", "create", "-f", project.EndpointFile);
            await steps.RunAsync($"batch-deployment create -f {shown}/deployment.yml --set-default", "batch-deployment", "create", "-f", project.DeploymentFile, "--set-default");
            var invoked = await steps.RunAsync($"batch-endpoint invoke -n {QuickstartProject.Endpoint} --input {shown}/data", "batch-endpoint", "invoke", "-n", QuickstartProject.Endpoint, "--input", project.DataFolder);
            var job = (string)System.Text.Json.Nodes.JsonNode.Parse(invoked)!["name"]!;
            console.MarkupLine($"  job [bold]{Markup.Escape(job)}[/] created; it runs on the server in the background.");

            Echo(console, $"job stream -n {job}");
            var client = context.Client(url, workspace);
            var exit = await JobStream.FollowAsync(context, client, job, cancellationToken);
            if (exit != ExitCodes.Success)
            {
                console.MarkupLine("[red]The job did not complete; 'sluice job show' and the job's logs say why.[/]");
                return exit;
            }

            await steps.RunAsync($"job download -n {job} --download-path {shown}/outputs", "job", "download", "-n", job, "--download-path", project.OutputsFolder);
            var predictions = Path.Combine(project.OutputsFolder, job, "named-outputs", "score", "predictions.csv");
            ShowPredictions(console, predictions, project);
            console.WriteLine();
            console.MarkupLine("Repeat it by hand: run [bold]./sluice server[/] in another terminal, then the commands above (prefixed with ./sluice).");
            return ExitCodes.Success;
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
        }
    }

    private static void ShowPredictions(IAnsiConsole console, string file, QuickstartProject project)
    {
        var lines = File.ReadLines(file).Take(6).ToList();
        var rows = File.ReadLines(file).LongCount() - 1;
        console.WriteLine();
        console.MarkupLine($"Predictions: [bold]{Markup.Escape(Relative(file))}[/] ({rows.ToString("N0", CultureInfo.InvariantCulture)} rows, one per input row, in input order)");
        var header = lines[0].Split(',');
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var column in header)
        {
            table.AddColumn(Markup.Escape(column));
        }

        foreach (var line in lines.Skip(1))
        {
            table.AddRow(line.Split(',').Select(Markup.Escape).ToArray());
        }

        console.Write(table);
        console.MarkupLine($"Accuracy against the true labels in {Markup.Escape(Relative(project.LabelsFile))}: [bold]{project.Accuracy(file):P1}[/]");
    }

    private static void Echo(IAnsiConsole console, string command) => console.MarkupLine($"[grey]$[/] [bold]sluice {Markup.Escape(command)}[/]");

    private static string Relative(string path)
    {
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }

    /// <summary>Runs CLI commands in-process against the embedded server, showing each and keeping its JSON quiet.</summary>
    private sealed class Steps(CliContext context, string url, string workspace, CancellationToken cancellationToken)
    {
        public async Task<string> RunAsync(string shown, params string[] args)
        {
            Echo(context.Console, shown);
            var output = new StringWriter();
            var error = new StringWriter();
            var quiet = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Interactive = InteractionSupport.No, Ansi = AnsiSupport.No });
            using var inner = new CliContext(quiet, output, error, context.Status);
            var code = await SluiceCli.RunAsync([.. args, "--server", url, "--workspace", workspace], inner, cancellationToken);
            if (code != ExitCodes.Success)
            {
                context.Error.Write(error.ToString());
                throw new CliException($"'sluice {shown}' failed.", code);
            }

            return output.ToString();
        }
    }
}
