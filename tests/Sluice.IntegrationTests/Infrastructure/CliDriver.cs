using System.Text.Json.Nodes;
using Sluice.Cli;
using Sluice.Cli.Infrastructure;
using Spectre.Console;

namespace Sluice.IntegrationTests.Infrastructure;

/// <summary>What a CLI invocation printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Out, string Error)
{
    public JsonNode Json() => JsonNode.Parse(Out) ?? throw new InvalidOperationException($"no JSON on standard output; stderr: {Error}");

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Error}";
}

/// <summary>Runs the real <c>sluice</c> command tree in-process against a server over real HTTP.</summary>
public sealed class CliDriver(string serverUrl, string workspace = "default")
{
    public async Task<CliResult> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Interactive = InteractionSupport.No,
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
        });
        console.Profile.Width = 240;
        var status = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(error),
            Interactive = InteractionSupport.No,
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
        });
        status.Profile.Width = 240;
        using var context = new CliContext(console, output, error, status);
        string[] all = [.. args, "--server", serverUrl, "--workspace", workspace];
        var code = await SluiceCli.RunAsync(all, context, TestContext.Current.CancellationToken);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    /// <summary>Runs and requires exit code 0, returning the result for further checks.</summary>
    public async Task<CliResult> OkAsync(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.ExitCode == 0, $"sluice {string.Join(' ', args)} failed:\n{result}");
        return result;
    }
}
