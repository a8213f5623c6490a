using Microsoft.Extensions.DependencyInjection;
using Sluice.Data.Store;

namespace Sluice.Data.Datastores;

public static class DatastoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <see cref="DatastoreRegistry"/> over the metadata store (<c>AddSluiceStore</c> must be registered
    /// too). Local listings spill under <see cref="StoreOptions.ListingSpillDirectory"/> unless
    /// <paramref name="listing"/> names a folder of its own; its other bounds apply as given.
    /// </summary>
    public static IServiceCollection AddSluiceDatastores(this IServiceCollection services, ListingSortOptions? listing = null)
    {
        services.AddSingleton(provider =>
        {
            var given = listing ?? new ListingSortOptions();
            return given with { TemporaryFolder = given.TemporaryFolder ?? provider.GetRequiredService<StoreOptions>().ListingSpillDirectory };
        });
        services.AddSingleton<DatastoreRegistry>();
        return services;
    }
}
