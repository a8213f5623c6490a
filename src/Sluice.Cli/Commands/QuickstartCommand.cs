using System.CommandLine;
using Sluice.Cli.Infrastructure;

namespace Sluice.Cli.Commands;

internal static class QuickstartCommand
{
    public static Command Build(CliContext context)
    {
        var dir = new Option<string?>("--dir") { Description = "The sample folder (default: ./sluice-quickstart)." };
        var command = new Command("quickstart", "Run a complete batch scoring job on the embedded server: model, data, endpoint, deployment, job, predictions.") { dir };
        command.Run(context, (_, _) =>
        {
            context.Error.WriteLine("The quickstart is not ready yet: it arrives with job execution.");
            return Task.FromResult(ExitCodes.Error);
        });
        return command;
    }
}
