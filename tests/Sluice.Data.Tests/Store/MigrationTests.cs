using Microsoft.EntityFrameworkCore;
using Sluice.Data.Store;

namespace Sluice.Data.Tests.Store;

/// <summary>Each provider's migrations must build the one model; scripts/add-migration.sh keeps them in step.</summary>
public sealed class MigrationTests
{
    public static TheoryData<string> Stores => ["sqlite", "postgres://sluice@localhost/sluice"];

    [Theory]
    [MemberData(nameof(Stores))]
    public void Migrations_OfEachProvider_CoverTheWholeModel(string store)
    {
        using var db = Open(store);

        Assert.False(db.Database.HasPendingModelChanges(), $"The model changed since the last {store} migration: run scripts/add-migration.sh NAME.");
    }

    [Fact]
    public void Migrations_OfBothProviders_HaveTheSameNamesInTheSameOrder()
    {
        using var sqlite = Open("sqlite");
        using var postgres = Open("postgres://sluice@localhost/sluice");

        var sqliteNames = sqlite.Database.GetMigrations().Select(Name).ToList();
        var postgresNames = postgres.Database.GetMigrations().Select(Name).ToList();

        Assert.NotEmpty(sqliteNames);
        Assert.Equal(sqliteNames, postgresNames);
    }

    [Fact]
    public void Open_ForEachProvider_GivesTheContextThatOwnsItsMigrations()
    {
        using var sqlite = Open("sqlite");
        using var postgres = Open("postgres://sluice@localhost/sluice");

        Assert.IsType<SqliteSluiceDbContext>(sqlite);
        Assert.IsType<PostgreSqlSluiceDbContext>(postgres);
        Assert.Equal("Microsoft.EntityFrameworkCore.Sqlite", sqlite.Database.ProviderName);
        Assert.Equal("Npgsql.EntityFrameworkCore.PostgreSQL", postgres.Database.ProviderName);
    }

    /// <summary>Opens a context without connecting: nothing here touches a database.</summary>
    private static SluiceDbContext Open(string store) =>
        SluiceDatabase.Open(new StoreOptions { DataDirectory = Path.Combine(Path.GetTempPath(), "sluice-unused"), Location = StoreLocation.Parse(store) });

    /// <summary>A migration's name without its timestamp (20261123143159_Initial → Initial).</summary>
    private static string Name(string id) => id[(id.IndexOf('_', StringComparison.Ordinal) + 1)..];
}
