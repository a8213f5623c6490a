using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Sluice.Data.Store;

/// <summary>The store on PostgreSQL; owns the migrations in <c>Store/Migrations/PostgreSql</c>.</summary>
public sealed class PostgreSqlSluiceDbContext(DbContextOptions<PostgreSqlSluiceDbContext> options) : SluiceDbContext(options)
{
    /// <summary>
    /// Text columns use the "C" collation: names sort and compare byte by byte, as in SQLite, whatever locale the
    /// database was created with, so lists come out in the same order on both stores.
    /// </summary>
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        foreach (var property in modelBuilder.Model.GetEntityTypes().SelectMany(e => e.GetProperties()).Where(p => p.ClrType == typeof(string)))
        {
            property.SetCollation("C");
        }
    }
}

/// <summary>
/// Lets <c>dotnet ef migrations add --context PostgreSqlSluiceDbContext</c> build the model. Adding a migration does not
/// connect, so the connection string names no real server.
/// </summary>
internal sealed class PostgreSqlDesignTimeContextFactory : IDesignTimeDbContextFactory<PostgreSqlSluiceDbContext>
{
    public PostgreSqlSluiceDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgreSqlSluiceDbContext>().UseNpgsql("Host=localhost;Database=sluice;Username=sluice").Options);
}
