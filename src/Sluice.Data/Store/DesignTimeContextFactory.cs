using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Sluice.Data.Store;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting a server.</summary>
internal sealed class DesignTimeContextFactory : IDesignTimeDbContextFactory<SluiceDbContext>
{
    public SluiceDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SluiceDbContext>().UseSqlite("Data Source=design-time.db").Options);
}
