using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Sluice.Cli.Infrastructure;
using Sluice.Core.Diagnostics;
using Sluice.Data.Store;
using Sluice.Server.Hosting;
using Spectre.Console;

namespace Sluice.Cli.Commands;

/// <summary><c>sluice server</c> and <c>sluice db migrate</c>.</summary>
internal static class ServerCommands
{
    public static Option<string?> DataDir() => new("--data-dir")
    {
        Description = "The data directory (default: $SLUICE_DATA_DIR, else ~/.sluice).",
    };

    public static Command BuildServer(CliContext context)
    {
        var dataDir = DataDir();
        var urls = new Option<string>("--urls") { Description = "Where the API listens.", DefaultValueFactory = _ => SluiceServerOptions.DefaultUrls };
        var noMigrate = new Option<bool>("--no-migrate") { Description = "Do not apply database migrations at start-up; fail if some are pending (run 'sluice db migrate')." };
        var siloPort = new Option<int>("--silo-port") { Description = "The Orleans silo port (0: a free one)." };
        var gatewayPort = new Option<int>("--gateway-port") { Description = "The Orleans gateway port (0: a free one)." };
        var command = new Command("server", "Run the Sluice server in the foreground until Ctrl+C or SIGTERM.") { dataDir, urls, noMigrate, siloPort, gatewayPort };
        command.Run(context, async (parse, ct) =>
        {
            var options = new SluiceServerOptions
            {
                DataDirectory = Path.GetFullPath(parse.GetValue(dataDir) ?? StoreOptions.DefaultDataDirectory()),
                Urls = parse.GetValue(urls)!,
                AutoMigrate = !parse.GetValue(noMigrate),
            };
            options.Silo.SiloPort = parse.GetValue(siloPort);
            options.Silo.GatewayPort = parse.GetValue(gatewayPort);
            Microsoft.AspNetCore.Builder.WebApplication app;
            try
            {
                app = SluiceServer.Build(options);
            }
            catch (OptionsValidationException ex)
            {
                throw new CliException("The server's settings are invalid.", ExitCodes.Invalid, ex.Failures.ToList());
            }

            await using (app)
            {
                try
                {
                    await SluiceServer.StartAsync(app, ct);
                }
                catch (SluiceException ex)
                {
                    throw new CliException(ex.Message, ExitCodes.Error, hint: ex.Hint);
                }
                catch (IOException ex) when (ex.InnerException is System.Net.Sockets.SocketException || ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
                {
                    throw new CliException($"Cannot listen on {options.Urls}: {ex.Message}", ExitCodes.Error, hint: "another server may be running there; stop it or pass --urls http://127.0.0.1:<port>");
                }

                // Ctrl+C and SIGTERM stop the host (graceful shutdown); the CLI's token covers the same signals.
                var lifetime = app.Services.GetService(typeof(IHostApplicationLifetime)) as IHostApplicationLifetime;
                using var registration = ct.Register(() => lifetime?.StopApplication());
                await app.WaitForShutdownAsync(CancellationToken.None);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    public static Command BuildDb(CliContext context)
    {
        var dataDir = DataDir();
        var migrate = new Command("migrate", "Create the database or apply pending schema migrations.") { dataDir };
        migrate.Run(context, async (parse, ct) =>
        {
            var store = new StoreOptions { DataDirectory = Path.GetFullPath(parse.GetValue(dataDir) ?? StoreOptions.DefaultDataDirectory()) };
            Directory.CreateDirectory(store.DataDirectory);
            var applied = await SluiceDatabase.Create(store).MigrateAsync(ct);
            context.Console.MarkupLine(applied.Count == 0
                ? $"The database in [bold]{Markup.Escape(store.DataDirectory)}[/] is up to date."
                : $"Applied {applied.Count} migration(s) to [bold]{Markup.Escape(store.DataDirectory)}[/]: {Markup.Escape(string.Join(", ", applied))}");
            return ExitCodes.Success;
        });
        var group = new Command("db", "Manage the metadata database.");
        group.Subcommands.Add(migrate);
        return group;
    }
}
