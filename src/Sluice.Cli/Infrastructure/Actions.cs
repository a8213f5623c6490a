using System.CommandLine;
using Spectre.Console;

namespace Sluice.Cli.Infrastructure;

/// <summary>Wraps command bodies so every failure prints one clear line (plus details and a hint) and returns its exit code.</summary>
public static class Actions
{
    public static void Run(this Command command, CliContext context, Func<ParseResult, CancellationToken, Task<int>> body) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                return await body(parse, cancellationToken);
            }
            catch (CliException ex)
            {
                Report(context, ex);
                return ex.ExitCode;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                context.Error.WriteLine("Interrupted.");
                return ExitCodes.Error;
            }
        });

    public static void Report(CliContext context, CliException ex)
    {
        context.Error.WriteLine($"error: {ex.Message}");
        foreach (var detail in ex.Details)
        {
            context.Error.WriteLine($"  {detail}");
        }

        if (ex.Hint is not null)
        {
            context.Error.WriteLine($"hint: {ex.Hint}");
        }
    }

    /// <summary>Asks before destructive actions when a person is watching; scripts pass --yes (or are not interactive).</summary>
    public static bool Confirm(CliContext context, bool yes, string question) =>
        yes || !context.Console.Profile.Capabilities.Interactive || context.Console.Confirm(question, defaultValue: false);
}
