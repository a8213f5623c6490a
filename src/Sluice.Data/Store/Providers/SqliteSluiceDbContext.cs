using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Sluice.Data.Store;

/// <summary>The store on SQLite; owns the migrations in <c>Store/Migrations/Sqlite</c>.</summary>
public sealed class SqliteSluiceDbContext(DbContextOptions<SqliteSluiceDbContext> options) : SluiceDbContext(options);

/// <summary>Lets <c>dotnet ef migrations add --context SqliteSluiceDbContext</c> build the model without a server.</summary>
internal sealed class SqliteDesignTimeContextFactory : IDesignTimeDbContextFactory<SqliteSluiceDbContext>
{
    public SqliteSluiceDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteSluiceDbContext>().UseSqlite("Data Source=design-time.db").Options);
}
