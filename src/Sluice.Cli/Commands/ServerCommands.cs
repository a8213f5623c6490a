using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Sluice.Cli.Infrastructure;
using Sluice.Core.Diagnostics;
using Sluice.Data.Secrets;
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

    public static Option<string?> Store() => new("--store")
    {
        Description = $"The metadata store: {StoreLocation.Usage}; query parameters go to Npgsql, e.g. ?sslmode=require (default: ${StoreLocation.EnvironmentVariable}, else sqlite).",
    };

    public static Command BuildServer(CliContext context)
    {
        var dataDir = DataDir();
        var store = Store();
        var urls = new Option<string>("--urls") { Description = "Where the API listens.", DefaultValueFactory = _ => SluiceServerOptions.DefaultUrls };
        var migrate = new Option<bool>("--migrate") { Description = "Apply pending database migrations at start-up (the default for SQLite; for PostgreSQL only when this server is the database's only user)." };
        var noMigrate = new Option<bool>("--no-migrate") { Description = "Do not apply database migrations at start-up; fail if some are pending (run 'sluice db migrate'). The default for PostgreSQL." };
        var siloPort = new Option<int>("--silo-port") { Description = "The Orleans silo port (0: a free one)." };
        var gatewayPort = new Option<int>("--gateway-port") { Description = "The Orleans gateway port (0: a free one)." };
        var advertise = new Option<string>("--advertise-address") { Description = "The IP address other servers and nodes reach this server's silo at (default 127.0.0.1: one machine).", DefaultValueFactory = _ => "127.0.0.1" };
        var keyRing = new Option<string?>("--key-ring") { Description = $"The folder of keys that encrypt stored credentials (default: ${SecretStoreOptions.EnvironmentVariable}, else <data-dir>/keys). Servers sharing a database must share it; losing it loses the credentials." };
        var trustedProxy = new Option<string[]>("--trusted-proxy") { Description = "A reverse proxy (address or CIDR) whose X-Forwarded-For header names the caller; repeat for several. Without it the TCP peer is the caller.", AllowMultipleArgumentsPerToken = true };
        var command = new Command("server", "Run the Sluice server in the foreground until Ctrl+C or SIGTERM.") { dataDir, store, keyRing, urls, migrate, noMigrate, siloPort, gatewayPort, advertise, trustedProxy };
        command.Run(context, async (parse, ct) =>
        {
            if (parse.GetValue(migrate) && parse.GetValue(noMigrate))
            {
                throw new CliException("--migrate and --no-migrate contradict each other.", ExitCodes.Invalid, hint: "pass one of them, or neither for the store's default");
            }

            var options = new SluiceServerOptions
            {
                DataDirectory = Path.GetFullPath(parse.GetValue(dataDir) ?? StoreOptions.DefaultDataDirectory()),
                Store = parse.GetValue(store) ?? StoreLocation.DefaultText(),
                Urls = parse.GetValue(urls)!,
                AutoMigrate = parse.GetValue(migrate) ? true : parse.GetValue(noMigrate) ? false : null,
                KeyRingDirectory = (parse.GetValue(keyRing) ?? NonEmpty(Environment.GetEnvironmentVariable(SecretStoreOptions.EnvironmentVariable))) is { } ring ? Path.GetFullPath(ring) : null,
            };
            options.Silo.SiloPort = parse.GetValue(siloPort);
            options.Silo.GatewayPort = parse.GetValue(gatewayPort);
            options.Silo.AdvertisedAddress = parse.GetValue(advertise)!;
            options.TrustedProxies = parse.GetValue(trustedProxy) ?? [];
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
                    await StopAfterFailedStartAsync(app);
                    throw new CliException(ex.Message, ExitCodes.Error, hint: ex.Hint);
                }
                catch (IOException ex) when (ex.InnerException is System.Net.Sockets.SocketException || ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
                {
                    await StopAfterFailedStartAsync(app);
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

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    public static Command BuildDb(CliContext context)
    {
        var dataDir = DataDir();
        var storeOption = Store();
        var migrate = new Command("migrate", "Create the database or apply pending schema migrations (PostgreSQL: run it once before starting the servers).") { dataDir, storeOption };
        migrate.Run(context, async (parse, ct) =>
        {
            if (!StoreLocation.TryParse(parse.GetValue(storeOption) ?? StoreLocation.DefaultText(), out var location, out var problem))
            {
                throw new CliException(problem, ExitCodes.Invalid);
            }

            var store = new StoreOptions { DataDirectory = Path.GetFullPath(parse.GetValue(dataDir) ?? StoreOptions.DefaultDataDirectory()), Location = location };
            IReadOnlyList<string> applied;
            try
            {
                applied = await SluiceDatabase.Create(store).MigrateAsync(ct);
            }
            catch (SluiceException ex)
            {
                throw new CliException(ex.Message, ExitCodes.Error, hint: ex.Hint);
            }

            var where = location.Provider == StoreProvider.Sqlite ? $"the database in {store.DataDirectory}" : location.Display;
            context.Console.MarkupLine(applied.Count == 0
                ? $"[bold]{Markup.Escape(where)}[/] is up to date."
                : $"Applied {applied.Count} migration(s) to [bold]{Markup.Escape(where)}[/]: {Markup.Escape(string.Join(", ", applied))}");
            return ExitCodes.Success;
        });
        var group = new Command("db", "Manage the metadata database.");
        group.Subcommands.Add(migrate);
        return group;
    }

    /// <summary>
    /// A start that failed half-way (the silo up, the API port taken) leaves services running: stop them, bounded, so
    /// that the process exits with its error instead of lingering.
    /// </summary>
    private static async Task StopAfterFailedStartAsync(Microsoft.AspNetCore.Builder.WebApplication app)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await app.StopAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException or ObjectDisposedException or AggregateException)
        {
            // Best effort: the error that matters is the one being reported.
        }
    }
}
