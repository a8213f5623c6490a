using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sluice.Core.Jobs;
using Sluice.Data.Store;
using Sluice.IntegrationTests.Infrastructure;

namespace Sluice.IntegrationTests.Store;

/// <summary>The job store's plain-SQL paths (the plan's inserts, progress updates) on both providers.</summary>
public sealed class JobStoreTests(PostgresServer postgres)
{
    public static TheoryData<string> Providers => ["sqlite", "postgresql"];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task PlanAndProgress_AreStoredAndCountedOnce(string provider)
    {
        var ct = TestContext.Current.CancellationToken;
        using var folder = new TempFolder("job-store");
        await using var database = provider == "postgresql" ? await postgres.CreateDatabaseAsync(cancellationToken: ct) : null;
        await using var services = await StoreWithJobAsync(folder, database, ct);
        var store = services.GetRequiredService<JobStore>();

        // 250 rows: three multi-row INSERTs, one of them short; a file name with a quote and non-ASCII text.
        await store.AddMiniBatchesAsync([.. Enumerable.Range(0, 250).Select(i => new MiniBatchRecord
        {
            Workspace = "ws", Job = "j", Index = i, FilesJson = $"[{{\"Path\":\"it's-é-{i}.txt\"}}]", ItemCount = 1, Status = MiniBatchStatuses.Pending,
        })], ct);
        var pending = await store.PendingAsync("ws", "j", -1, 1000, ct);
        Assert.Equal(Enumerable.Range(0, 250), pending.Select(m => m.Index));
        Assert.Equal("[{\"Path\":\"it's-é-7.txt\"}]", pending[7].FilesJson);

        await store.RecordAsync("ws", "j", [(0, "w0", DateTime.UtcNow), (1, "w1", DateTime.UtcNow), (2, "w0", DateTime.UtcNow)], [], ct);
        await store.RecordAsync("ws", "j", [(3, "w1", new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc))], [
            (0, new MiniBatchOutcome(MiniBatchStatuses.Succeeded, 1, 5, 1, 0, null, "w0")),
            (1, new MiniBatchOutcome(MiniBatchStatuses.Failed, 3, 0, 0, 1, "[\"boom\"]", "w1")),
            (3, new MiniBatchOutcome(MiniBatchStatuses.Succeeded, 1, 2, 1, 0, null, "w1")),
        ], ct);
        // A late duplicate reply changes nothing.
        await store.RecordAsync("ws", "j", [], [(0, new MiniBatchOutcome(MiniBatchStatuses.Succeeded, 2, 9, 1, 0, null, "w9"))], ct);

        var job = (await store.FindAsync("ws", "j", ct))!;
        Assert.Equal((2, 1, 2L, 1L), (job.MiniBatchesSucceeded, job.MiniBatchesFailed, job.ItemsSucceeded, job.ItemsFailed));
        var finished = await store.FinishedAsync("ws", "j", -1, 10, ct);
        Assert.Equal([0, 1, 3], finished.Select(m => m.Index));
        Assert.Equal((5L, "w0", 1), (finished[0].RowCount, finished[0].Worker, finished[0].Attempts));
        Assert.Equal(("[\"boom\"]", 3), (finished[1].Error, finished[1].Attempts));
        Assert.NotNull(finished[2].EndedAt);
        Assert.Equal(new DateTime(2026, 1, 2, 3, 4, 5), DateTime.SpecifyKind(finished[2].StartedAt!.Value, DateTimeKind.Unspecified));
        var running = (await store.UnfinishedAsync("ws", "j", -1, 3, ct)).Single(m => m.Index == 2);
        Assert.Equal((MiniBatchStatuses.Running, "w0"), (running.Status, running.Worker));
        Assert.InRange(running.StartedAt!.Value, DateTime.UtcNow.AddMinutes(-5), DateTime.UtcNow.AddMinutes(1));
        Assert.Equal(1, await store.RequeueRunningAsync("ws", "j", ct));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ProgressWriter_KeptForManyBatches_RecordsGroupRunsOnceWithTimesEfCoreReads(string provider)
    {
        var ct = TestContext.Current.CancellationToken;
        using var folder = new TempFolder("job-store");
        await using var database = provider == "postgresql" ? await postgres.CreateDatabaseAsync(cancellationToken: ct) : null;
        await using var services = await StoreWithJobAsync(folder, database, ct);
        var store = services.GetRequiredService<JobStore>();
        await store.AddMiniBatchesAsync([.. Enumerable.Range(0, 6).Select(i => new MiniBatchRecord
        {
            Workspace = "ws", Job = "j", Index = i, FilesJson = $"[{{\"Path\":\"f{i}.txt\"}}]", ItemCount = 1, Status = MiniBatchStatuses.Pending,
        })], ct);

        var groupSent = new DateTime(2026, 3, 4, 5, 6, 7, 891, DateTimeKind.Utc);
        var alone = new DateTime(2026, 3, 4, 5, 6, 8, DateTimeKind.Utc);
        var before = DateTime.UtcNow.AddSeconds(-1);
        await using (var writer = await store.OpenProgressWriterAsync("ws", "j", ct))
        {
            await writer.RecordAsync([(5, "node-a.worker-1.0", alone)], [], ct);
            await writer.RecordAsync([], [
                (1, new MiniBatchOutcome(MiniBatchStatuses.Succeeded, 1, 3, 1, 0, null, "node-a.worker-0.0", "g00000001-x.csv", 0, 40, groupSent, ItemCount: 4)),
                (2, new MiniBatchOutcome(MiniBatchStatuses.Succeeded, 1, 2, 1, 0, null, "node-a.worker-0.0", "g00000001-x.csv", 40, 25, groupSent)),
                (5, new MiniBatchOutcome(MiniBatchStatuses.Failed, 2, 0, 0, 1, "[\"it's bad\"]", "node-a.worker-1.0")),
            ], ct);

            // The same outcomes again (a late reply): recorded before, so neither rows nor counters change.
            await writer.RecordAsync([], [(1, new MiniBatchOutcome(MiniBatchStatuses.Failed, 2, 0, 0, 1, "[\"late\"]", "node-b.worker-0.0"))], ct);
        }

        var job = (await store.FindAsync("ws", "j", ct))!;
        Assert.Equal((2, 1, 2L, 1L), (job.MiniBatchesSucceeded, job.MiniBatchesFailed, job.ItemsSucceeded, job.ItemsFailed));
        var finished = await store.FinishedAsync("ws", "j", -1, 10, ct);
        Assert.Equal([1, 2, 5], finished.Select(m => m.Index));
        Assert.Equal(("g00000001-x.csv", 40L, 25L, 2L), (finished[1].Part, finished[1].PartOffset, finished[1].PartLength, finished[1].RowCount));
        Assert.Equal((groupSent, groupSent), (finished[0].StartedAt, finished[1].StartedAt));
        Assert.Equal((alone, "[\"it's bad\"]", 2, (string?)null), (finished[2].StartedAt, finished[2].Error, finished[2].Attempts, finished[2].Part));
        Assert.Equal(MiniBatchStatuses.Succeeded, finished[0].Status);

        // EF Core reads the times the writer stored in the provider's own form.
        var firstOutput = (await store.FindAsync("ws", "j", ct))!.FirstOutputAt;
        Assert.NotNull(firstOutput);
        Assert.InRange(DateTime.SpecifyKind(firstOutput.Value, DateTimeKind.Utc), before, DateTime.UtcNow.AddSeconds(1));
        var shares = await store.NodeSharesAsync("ws", "j", ct);
        // Items: the planned count the coordinator passes (4), else the outcome's succeeded and failed items (1 + 1).
        Assert.Equal([new NodeShare("node-a", 3, 1, 6, 5)], shares);
        Assert.Equal([0, 3, 4], (await store.PendingAsync("ws", "j", -1, 10, ct)).Select(m => m.Index));
    }

    /// <summary>A migrated store holding one running job, ws/j.</summary>
    private static async Task<ServiceProvider> StoreWithJobAsync(TempFolder folder, PostgresDatabase? database, CancellationToken ct)
    {
        var services = new ServiceCollection()
            .AddSluiceStore(new StoreOptions { DataDirectory = folder.Path, Location = database is null ? StoreLocation.Sqlite : StoreLocation.Parse(database.Url) })
            .AddSingleton(TimeProvider.System)
            .AddSingleton<JobStore>()
            .BuildServiceProvider();
        await services.GetRequiredService<SluiceDatabase>().MigrateAsync(ct);
        await using var db = await services.GetRequiredService<IDbContextFactory<SluiceDbContext>>().CreateDbContextAsync(ct);
        db.Jobs.Add(new JobRecord { Workspace = "ws", Name = "j", EndpointName = "e", DeploymentName = "d", Status = JobStatuses.Running, DefinitionJson = "{}", CreatedAt = DateTime.UtcNow, ModifiedAt = DateTime.UtcNow });
        await db.SaveChangesAsync(ct);
        return services;
    }
}
