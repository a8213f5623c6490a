using System.CommandLine;
using Sluice.Cli.Commands;
using Sluice.Cli.Infrastructure;
using Sluice.Cli.Quickstart;
using Sluice.Core.Specs;

namespace Sluice.Cli;

/// <summary>The <c>sluice</c> command tree. Built per invocation over a <see cref="CliContext"/> so tests can run it in-process.</summary>
public static class SluiceCli
{
    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        var root = Build(context);
        var parse = root.Parse(args);
        var configuration = new InvocationConfiguration { Output = context.Out, Error = context.Error, EnableDefaultExceptionHandler = false };
        if (parse.Errors.Count > 0 && parse.Action is not System.CommandLine.Help.HelpAction)
        {
            foreach (var error in parse.Errors)
            {
                context.Error.WriteLine($"error: {error.Message}");
            }

            context.Error.WriteLine($"hint: run 'sluice {string.Join(' ', CommandPath(parse.CommandResult.Command, root))} --help' for usage");
            return ExitCodes.Invalid;
        }

        return await parse.InvokeAsync(configuration, cancellationToken);
    }

    public static RootCommand Build(CliContext context)
    {
        var root = new RootCommand("Sluice: batch inference endpoints with network isolation, on your own machines. Commands mirror 'az ml'.");
        root.Options.Add(GlobalOptions.Server);
        root.Options.Add(GlobalOptions.Workspace);
        root.Options.Add(GlobalOptions.Output);
        root.Subcommands.Add(QuickstartCommand.Build(context));
        root.Subcommands.Add(ServerCommands.BuildServer(context));
        root.Subcommands.Add(NodeCommand.Build(context));
        root.Subcommands.Add(ValidateCommand.Build(context));
        root.Subcommands.Add(WorkspaceCommands.Build(context));
        root.Subcommands.Add(DatastoreCommands.Build(context));
        root.Subcommands.Add(AssetCommands.Build(context, ResourceKind.Data));
        root.Subcommands.Add(AssetCommands.Build(context, ResourceKind.Model));
        root.Subcommands.Add(AssetCommands.Build(context, ResourceKind.Environment));
        root.Subcommands.Add(ComputeCommands.Build(context));
        root.Subcommands.Add(AssetCommands.Build(context, ResourceKind.Component));
        root.Subcommands.Add(BatchEndpointCommands.Build(context));
        root.Subcommands.Add(BatchDeploymentCommands.Build(context));
        root.Subcommands.Add(NetworkCommands.Build(context));
        root.Subcommands.Add(NetworkCommands.BuildStorageAccount(context));
        root.Subcommands.Add(NetworkCommands.BuildSecretStore(context));
        root.Subcommands.Add(NetworkCommands.BuildRegistry(context));
        root.Subcommands.Add(JobCommands.Build(context));
        root.Subcommands.Add(ServerCommands.BuildDb(context));
        return root;
    }

    private static List<string> CommandPath(Command command, RootCommand root)
    {
        var names = new List<string>();
        for (var current = command; current is not null && current != root; current = current.Parents.OfType<Command>().FirstOrDefault())
        {
            names.Insert(0, current.Name);
        }

        return names;
    }
}
