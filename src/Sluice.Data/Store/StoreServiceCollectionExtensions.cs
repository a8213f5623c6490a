using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Sluice.Data.Store;

public static class StoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers the metadata store on the provider <see cref="StoreOptions.Location"/> names. Services inject
    /// <c>IDbContextFactory&lt;SluiceDbContext&gt;</c> whatever the provider.
    /// </summary>
    public static IServiceCollection AddSluiceStore(this IServiceCollection services, StoreOptions options)
    {
        services.AddSingleton(options);
        switch (options.Location.Provider)
        {
            case StoreProvider.Sqlite:
                services.AddDbContextFactory<SqliteSluiceDbContext>(o => SluiceDatabase.Configure(o, options));
                services.AddSingleton<IDbContextFactory<SluiceDbContext>, ProviderContextFactory<SqliteSluiceDbContext>>();
                break;
            case StoreProvider.PostgreSql:
                services.AddDbContextFactory<PostgreSqlSluiceDbContext>(o => SluiceDatabase.Configure(o, options));
                services.AddSingleton<IDbContextFactory<SluiceDbContext>, ProviderContextFactory<PostgreSqlSluiceDbContext>>();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(options), options.Location.Provider, "Unknown store provider.");
        }

        services.AddSingleton<SluiceDatabase>();
        return services;
    }
}
