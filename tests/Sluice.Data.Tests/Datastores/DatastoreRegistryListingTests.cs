using Microsoft.Extensions.DependencyInjection;
using Sluice.Core.Specs;
using Sluice.Data.Datastores;
using Sluice.Data.Secrets;
using Sluice.Data.Store;
using Sluice.Data.Tests.TestSupport;

namespace Sluice.Data.Tests.Datastores;

public sealed class DatastoreRegistryListingTests
{
    [Fact]
    public async Task Open_LocalDatastore_SpillsALongListingUnderTheDataDirectory_AndLeavesNothingAfter()
    {
        var ct = TestContext.Current.CancellationToken;
        using var folder = new TempFolder();
        var root = Directory.CreateDirectory(folder.Combine("datastore")).FullName;
        var names = Enumerable.Range(0, 300).Select(i => $"f{(i * 7919) % 300:D4}.txt").ToList();
        foreach (var name in names)
        {
            await File.WriteAllTextAsync(Path.Combine(root, name), string.Empty, ct);
        }

        var store = new StoreOptions { DataDirectory = folder.Combine("data"), Location = StoreLocation.Sqlite };
        await using var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(TimeProvider.System)
            .AddSluiceStore(store)
            .AddSluiceSecrets(new SecretStoreOptions { KeyRingDirectory = folder.Combine("keys") })
            .AddSluiceDatastores(new ListingSortOptions { MemoryLimit = 50 })
            .BuildServiceProvider();
        var client = services.GetRequiredService<DatastoreRegistry>().Open(new DatastoreAccess("data", DatastoreType.Local, root));
        var spill = store.ListingSpillDirectory;
        Assert.False(Directory.Exists(spill), "the spill folder is made when a listing first needs it, not before");

        var spilled = false;
        var listed = new List<string>();
        await foreach (var item in client.ListFilesAsync(string.Empty, recursive: false, ct))
        {
            spilled |= Directory.Exists(spill) && Directory.EnumerateFiles(spill, "*", SearchOption.AllDirectories).Any();
            listed.Add(item.Path);
        }

        Assert.True(spilled, $"a listing of {names.Count} files over a bound of 50 wrote its sorted runs under {spill}");
        Assert.Equal(names.Order(StringComparer.Ordinal), listed);
        Assert.Empty(Directory.EnumerateFileSystemEntries(spill));
    }
}
