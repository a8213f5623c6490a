using Sluice.Cli;
using Sluice.Cli.Infrastructure;
using Spectre.Console;

namespace Sluice.Bench;

/// <summary>The real <c>sluice</c> command tree, run in-process against a server; returns what it printed.</summary>
public sealed class BenchCli(string serverUrl)
{
    public async Task<string> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Interactive = InteractionSupport.No, Ansi = AnsiSupport.No });
        var status = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null), Interactive = InteractionSupport.No });
        using var context = new CliContext(console, output, error, status);
        var code = await SluiceCli.RunAsync([.. args, "--server", serverUrl], context);
        return code == 0 ? output.ToString() : throw new InvalidOperationException($"sluice {string.Join(' ', args)} failed: {error}");
    }
}
