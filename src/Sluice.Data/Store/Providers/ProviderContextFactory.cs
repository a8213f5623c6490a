using Microsoft.EntityFrameworkCore;

namespace Sluice.Data.Store;

/// <summary>Serves <c>IDbContextFactory&lt;SluiceDbContext&gt;</c>, the only factory the code uses, from the chosen provider's context.</summary>
internal sealed class ProviderContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<SluiceDbContext>
    where TContext : SluiceDbContext
{
    public SluiceDbContext CreateDbContext() => inner.CreateDbContext();

    public async Task<SluiceDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
        await inner.CreateDbContextAsync(cancellationToken);
}
