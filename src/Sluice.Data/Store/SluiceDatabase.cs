using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Sluice.Core.Diagnostics;

namespace Sluice.Data.Store;

/// <summary>Opening, preparing and migrating the store, shared by the server and <c>sluice db migrate</c>.</summary>
public sealed class SluiceDatabase(IDbContextFactory<SluiceDbContext> factory, StoreOptions options)
{
    private static readonly SqliteConnectionSetup ConnectionSetup = new();

    /// <summary>Points a context at the store: SQLite with its per-connection pragmas, or PostgreSQL through Npgsql.</summary>
    public static void Configure(DbContextOptionsBuilder builder, StoreOptions options)
    {
        switch (options.Location.Provider)
        {
            case StoreProvider.Sqlite:
                builder.UseSqlite(options.ConnectionString).AddInterceptors(ConnectionSetup);
                break;
            case StoreProvider.PostgreSql:
                builder.UseNpgsql(options.ConnectionString);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(options), options.Location.Provider, "Unknown store provider.");
        }
    }

    /// <summary>A context of the store's provider (the type that owns its migrations), outside any service container.</summary>
    public static SluiceDbContext Open(StoreOptions options) => options.Location.Provider switch
    {
        StoreProvider.Sqlite => new SqliteSluiceDbContext(Build<SqliteSluiceDbContext>(options)),
        _ => new PostgreSqlSluiceDbContext(Build<PostgreSqlSluiceDbContext>(options)),
    };

    /// <summary>For tools that run without a server's service container (<c>sluice db migrate</c>).</summary>
    public static SluiceDatabase Create(StoreOptions options) => new(new DirectFactory(options), options);

    public async Task<IReadOnlyList<string>> PendingMigrationsAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            return await PendingAsync(db, cancellationToken);
        }
        catch (Exception ex) when (DatabaseError(ex) is { } error)
        {
            throw Unreachable(error);
        }
    }

    /// <summary>Creates the database (SQLite: its folder) if missing and applies pending migrations; returns those applied.</summary>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            if (options.Location.Provider == StoreProvider.Sqlite)
            {
                Directory.CreateDirectory(options.DataDirectory);
            }

            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            var pending = await PendingAsync(db, cancellationToken);
            if (pending.Count > 0)
            {
                if (options.Location.Provider == StoreProvider.PostgreSql)
                {
                    await CreateDatabaseAndHistoryAsync(db, cancellationToken);
                }

                // Concurrent migrators (servers started with --migrate) are serialized by EF Core's migration lock.
                await db.Database.MigrateAsync(cancellationToken);
            }

            if (options.Location.Provider == StoreProvider.Sqlite)
            {
                await EnableWriteAheadLogAsync(db, cancellationToken);
            }

            return pending;
        }
        catch (Exception ex) when (DatabaseError(ex) is { } error)
        {
            throw Unreachable(error);
        }
    }

    /// <summary>
    /// Readies the store for a starting server: applies pending migrations when <see cref="StoreOptions.MigratesAtStart"/>
    /// (returning those applied), and otherwise refuses a database with pending migrations, saying how to apply them.
    /// </summary>
    public async Task<IReadOnlyList<string>> PrepareAsync(CancellationToken cancellationToken = default)
    {
        if (options.MigratesAtStart)
        {
            return await MigrateAsync(cancellationToken);
        }

        if (options.Location.Provider == StoreProvider.PostgreSql && !await ExistsAsync(cancellationToken))
        {
            throw new SluiceException(
                $"{Capitalized(options.Describe())} does not exist.",
                SluiceErrorKind.Unavailable,
                $"run {MigrateCommand()} to create it, or check the URL's database name");
        }

        var pending = await PendingMigrationsAsync(cancellationToken);
        if (pending.Count == 0)
        {
            return [];
        }

        var hint = options.Location.Provider == StoreProvider.Sqlite
            ? $"run 'sluice db migrate --data-dir {options.DataDirectory}' and start the server again"
            : $"run {MigrateCommand()} once, then start the servers again; a server that is the database's only user may start with --migrate instead";
        throw new SluiceException($"{Capitalized(options.Describe())} needs {pending.Count} migration(s) ({string.Join(", ", pending)}).", SluiceErrorKind.Unavailable, hint);
    }

    /// <summary>The command that migrates this PostgreSQL store, quoted for a hint (the password is left out of it).</summary>
    private string MigrateCommand() =>
        $"'sluice db migrate --store {options.Location.Display}'{(options.Location.HasPassword ? " (with the URL's password)" : string.Empty)}";

    /// <summary>Whether the database exists, asked in a way that does not log the expected "does not exist" error.</summary>
    private async Task<bool> ExistsAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            return await db.GetService<IRelationalDatabaseCreator>().ExistsAsync(cancellationToken);
        }
        catch (Exception ex) when (DatabaseError(ex) is { } error)
        {
            throw Unreachable(error);
        }
    }

    /// <summary>
    /// The migrations not applied yet. On PostgreSQL a new database (or one without the history table) is asked about
    /// first: Npgsql's provider finds a missing history table by a failing query, which EF Core logs as an error
    /// (npgsql/efcore.pg#3407) although nothing is wrong.
    /// </summary>
    private async Task<List<string>> PendingAsync(SluiceDbContext db, CancellationToken cancellationToken)
    {
        if (options.Location.Provider == StoreProvider.PostgreSql
            && (!await db.GetService<IRelationalDatabaseCreator>().ExistsAsync(cancellationToken) || !await HasHistoryTableAsync(db, cancellationToken)))
        {
            return db.Database.GetMigrations().ToList();
        }

        return (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
    }

    /// <summary>
    /// Creates a missing PostgreSQL database and its migration history table before migrating. EF Core would create both
    /// itself, but Npgsql's provider finds them missing by failing, and EF Core logs those failures as errors.
    /// </summary>
    private static async Task CreateDatabaseAndHistoryAsync(SluiceDbContext db, CancellationToken cancellationToken)
    {
        var creator = db.GetService<IRelationalDatabaseCreator>();
        if (!await creator.ExistsAsync(cancellationToken))
        {
            try
            {
                await creator.CreateAsync(cancellationToken);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DuplicateDatabase)
            {
                // Another migrator created it first.
            }
        }

        await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);
    }

    private static async Task<bool> HasHistoryTableAsync(SluiceDbContext db, CancellationToken cancellationToken)
    {
        // The store keeps EF Core's default history table, found through the search path as EF Core finds it.
        var table = $"\"{HistoryRepository.DefaultTableName}\"";
        var found = await db.Database.SqlQuery<bool>($"SELECT to_regclass({table}) IS NOT NULL AS \"Value\"").ToListAsync(cancellationToken);
        return found.Single();
    }

    /// <summary>The database's own error, bare or wrapped by the provider's execution strategy ("likely due to a transient failure").</summary>
    private static DbException? DatabaseError(Exception ex) => ex as DbException ?? (ex is InvalidOperationException { InnerException: DbException inner } ? inner : null);

    private SluiceException Unreachable(DbException ex) =>
        new(
            $"Cannot use {options.Describe()}: {ex.Message}",
            SluiceErrorKind.Unavailable,
            options.Location.Provider == StoreProvider.Sqlite
                ? "check that the data directory is writable and that no other program holds the database"
                : "check that PostgreSQL runs there and that the URL's user, password, host, port and database are right",
            ex);

    private static string Capitalized(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    private static DbContextOptions<TContext> Build<TContext>(StoreOptions options)
        where TContext : SluiceDbContext
    {
        var builder = new DbContextOptionsBuilder<TContext>();
        Configure(builder, options);
        return builder.Options;
    }

    /// <summary>WAL lets readers (API calls) proceed while the job engine writes progress.</summary>
    private static async Task EnableWriteAheadLogAsync(SluiceDbContext db, CancellationToken cancellationToken)
    {
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private sealed class DirectFactory(StoreOptions options) : IDbContextFactory<SluiceDbContext>
    {
        public SluiceDbContext CreateDbContext() => Open(options);
    }
}
