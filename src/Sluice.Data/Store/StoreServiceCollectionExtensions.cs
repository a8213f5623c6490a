using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Sluice.Data.Store;

public static class StoreServiceCollectionExtensions
{
    /// <summary>Registers the metadata store on the embedded SQLite provider.</summary>
    public static IServiceCollection AddSluiceStore(this IServiceCollection services, StoreOptions options)
    {
        services.AddSingleton(options);
        services.AddDbContextFactory<SluiceDbContext>(o => SluiceDatabase.Configure(o, options));
        services.AddSingleton<SluiceDatabase>();
        return services;
    }
}
