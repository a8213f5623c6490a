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
        await using var services = new ServiceCollection()
            .AddSluiceStore(new StoreOptions { DataDirectory = folder.Path, Location = database is null ? StoreLocation.Sqlite : StoreLocation.Parse(database.Url) })
            .AddSingleton(TimeProvider.System)
            .AddSingleton<JobStore>()
            .BuildServiceProvider();
        await services.GetRequiredService<SluiceDatabase>().MigrateAsync(ct);
        var contexts = services.GetRequiredService<IDbContextFactory<SluiceDbContext>>();
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            db.Jobs.Add(new JobRecord { Workspace = "ws", Name = "j", EndpointName = "e", DeploymentName = "d", Status = JobStatuses.Running, DefinitionJson = "{}", CreatedAt = DateTime.UtcNow, ModifiedAt = DateTime.UtcNow });
            await db.SaveChangesAsync(ct);
        }

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
}
