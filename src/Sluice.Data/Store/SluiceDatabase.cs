using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Sluice.Data.Store;

/// <summary>Opening, preparing and migrating the store, shared by the server and <c>sluice db migrate</c>.</summary>
public sealed class SluiceDatabase(IDbContextFactory<SluiceDbContext> factory, StoreOptions options)
{
    private static readonly SqliteConnectionSetup ConnectionSetup = new();

    public static void Configure(DbContextOptionsBuilder builder, StoreOptions options) =>
        builder.UseSqlite(options.ConnectionString).AddInterceptors(ConnectionSetup);

    public static SluiceDbContext Open(StoreOptions options)
    {
        var builder = new DbContextOptionsBuilder<SluiceDbContext>();
        Configure(builder, options);
        return new SluiceDbContext(builder.Options);
    }

    /// <summary>For tools that run without a server's service container (<c>sluice db migrate</c>).</summary>
    public static SluiceDatabase Create(StoreOptions options) => new(new DirectFactory(options), options);

    public async Task<IReadOnlyList<string>> PendingMigrationsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
    }

    /// <summary>Creates the data directory and applies pending migrations; returns the migrations applied.</summary>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(options.DataDirectory);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            await db.Database.MigrateAsync(cancellationToken);
        }

        await EnableWriteAheadLogAsync(db, cancellationToken);
        return pending;
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
