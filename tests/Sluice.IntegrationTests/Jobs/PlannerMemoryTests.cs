using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sluice.Cluster.Jobs;
using Sluice.Core.Jobs;
using Sluice.Core.Specs;
using Sluice.Data.Datastores;
using Sluice.Data.Store;
using Sluice.IntegrationTests.Infrastructure;

namespace Sluice.IntegrationTests.Jobs;

/// <summary>
/// The acceptance test of issue 8's 1,000,000-file goal, at a size a test can afford: the planner never holds per-file
/// objects for the whole input. Shown three ways on 40,000 files with the listing's in-memory bound set to 1,000: the
/// listing's sort reports the most files it held at once; the files the listing handed to the planner are garbage
/// (weak references die) soon after; and the plan reaches the store while the listing is still going.
/// </summary>
public sealed class PlannerMemoryTests
{
    private const int Files = 40_000;
    private const int Bound = 1_000;

    [Fact]
    public async Task Plan_OfManyFiles_HoldsAtMostTheBoundInMemory_AndStreamsIntoTheStore()
    {
        var ct = TestContext.Current.CancellationToken;
        using var folder = new TempFolder("planner-memory");
        var data = folder.Combine("data");
        for (var d = 0; d < 8; d++)
        {
            Directory.CreateDirectory(Path.Combine(data, $"part-{d}"));
        }

        Parallel.For(0, Files, i => File.WriteAllBytes(Path.Combine(data, $"part-{i % 8}", $"file-{i:D6}.bin"), []));

        await using var services = new ServiceCollection()
            .AddSluiceStore(new StoreOptions { DataDirectory = folder.Combine("store") })
            .AddSingleton(TimeProvider.System)
            .AddSingleton<JobStore>()
            .BuildServiceProvider();
        await services.GetRequiredService<SluiceDatabase>().MigrateAsync(ct);
        var store = services.GetRequiredService<JobStore>();
        var contexts = services.GetRequiredService<IDbContextFactory<SluiceDbContext>>();

        var local = new LocalDatastoreClient(data, new ListingSortOptions { MemoryLimit = Bound, TemporaryFolder = folder.Combine("spill") });
        var observed = new ObservedListing(local, every: 2_000, async listed =>
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            return await db.MiniBatches.CountAsync(m => m.Workspace == "ws" && m.Job == "many", ct);
        });
        var binding = new JobInputBinding { Name = "input", Type = IoType.UriFolder, Datastore = "data", Path = string.Empty, Recursive = true };

        var (miniBatches, items) = await JobPlanner.PlanAsync(store, "ws", "many", observed, binding, new MiniBatchSize(1, MiniBatchUnit.Files), ct);

        Assert.Equal(Files, miniBatches);
        Assert.Equal(Files, items);
        Assert.True(local.ListingPeakInMemory <= Bound, $"the listing held {local.ListingPeakInMemory} files in memory at once; the bound is {Bound}");
        Assert.True(local.ListingPeakInMemory > 0, "the listing reported no files held at all");

        // Of the files listed so far, only the last few may still be alive: a planner that kept them (in a list, in
        // its mini-batches) would keep thousands.
        Assert.Equal(Files / 2_000, observed.Checks.Count);
        Assert.All(observed.Checks, c => Assert.True(c.Alive <= 4, $"after {c.Listed} files, {c.Alive} of them were still alive"));

        // The plan is written while the input is still being listed, a page at a time.
        Assert.All(observed.Checks.Where(c => c.Listed >= 2_000), c => Assert.True(c.Stored >= c.Listed - 1_000, $"after {c.Listed} files only {c.Stored} mini-batches were in the store"));

        await using var check = await contexts.CreateDbContextAsync(ct);
        var first = await check.MiniBatches.AsNoTracking().Where(m => m.Job == "many").OrderBy(m => m.Index).Take(2).ToListAsync(ct);
        Assert.Equal("part-0/file-000000.bin", JobPlanner.Items(first[0]).Single().Path);
        Assert.Equal("part-0/file-000008.bin", JobPlanner.Items(first[1]).Single().Path);
    }

    /// <summary>
    /// A real datastore client, watched: every <c>every</c> files it forces a full collection and counts how many of the
    /// files it has handed out are still alive, and asks the store how many mini-batches it holds.
    /// </summary>
    private sealed class ObservedListing(IDatastoreClient inner, int every, Func<int, Task<int>> stored) : IDatastoreClient
    {
        private readonly List<WeakReference<DatastoreItem>> _handedOut = [];

        public List<(int Listed, int Alive, int Stored)> Checks { get; } = [];

        public async IAsyncEnumerable<DatastoreItem> ListFilesAsync(string folder, bool recursive, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var listed = 0;
            await foreach (var item in inner.ListFilesAsync(folder, recursive, cancellationToken))
            {
                if (++listed % every == 0)
                {
                    GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: false);
                    GC.WaitForPendingFinalizers();
                    var alive = _handedOut.Count(w => w.TryGetTarget(out _));
                    _handedOut.Clear();
                    Checks.Add((listed, alive, await stored(listed)));
                }

                _handedOut.Add(new WeakReference<DatastoreItem>(item));
                yield return item;
            }
        }

        public Task<DatastoreItem?> GetItemAsync(string path, CancellationToken cancellationToken = default) => inner.GetItemAsync(path, cancellationToken);

        public Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken = default) => inner.OpenReadAsync(path, cancellationToken);

        public Task WriteAsync(string path, Stream content, bool overwrite, CancellationToken cancellationToken = default) => inner.WriteAsync(path, content, overwrite, cancellationToken);

        public Task<IDatastoreUpload> BeginWriteAsync(string path, bool overwrite, CancellationToken cancellationToken = default) => inner.BeginWriteAsync(path, overwrite, cancellationToken);

        public Task<bool> DeleteAsync(string path, CancellationToken cancellationToken = default) => inner.DeleteAsync(path, cancellationToken);

        public string? TryGetLocalPath(string path) => inner.TryGetLocalPath(path);
    }
}
