using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Sluice.Core.Jobs;
using Sluice.Data.Store;
using Sluice.IntegrationTests.Infrastructure;

namespace Sluice.IntegrationTests.Store;

/// <summary>
/// The migration that keeps each job's first output time and per-node shares with its counters fills them in for the
/// jobs recorded before it, from their mini-batches, as the scan that served <c>job show</c> used to compute them.
/// </summary>
public sealed class JobProgressSummaryMigrationTests(PostgresServer postgres)
{
    public static TheoryData<string> Providers => ["sqlite", "postgresql"];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Upgrade_FillsFirstOutputAndNodeSharesOfJobsRecordedBefore(string provider)
    {
        var ct = TestContext.Current.CancellationToken;
        using var folder = new TempFolder("summary-migration");
        await using var database = provider == "postgresql" ? await postgres.CreateDatabaseAsync(cancellationToken: ct) : null;
        await using var services = new ServiceCollection()
            .AddSluiceStore(new StoreOptions { DataDirectory = folder.Path, Location = database is null ? StoreLocation.Sqlite : StoreLocation.Parse(database.Url) })
            .AddSingleton(TimeProvider.System)
            .AddSingleton<JobStore>()
            .BuildServiceProvider();
        var contexts = services.GetRequiredService<IDbContextFactory<SluiceDbContext>>();
        Directory.CreateDirectory(folder.Path);
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            // The store as the release before this migration left it: the migrations up to the one before.
            var migrations = db.Database.GetMigrations().ToList();
            var previous = migrations[migrations.FindIndex(m => m.EndsWith("_JobProgressSummaries", StringComparison.Ordinal)) - 1];
            await db.GetService<IMigrator>().MigrateAsync(previous, ct);

            var firstEnd = new DateTime(2026, 5, 6, 7, 8, 9, 250, DateTimeKind.Utc);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "jobs" ("Workspace", "Name", "EndpointName", "DeploymentName", "Status", "DefinitionJson", "CreatedAt", "ModifiedAt",
                    "MiniBatchesTotal", "MiniBatchesSucceeded", "MiniBatchesFailed", "ItemsTotal", "ItemsSucceeded", "ItemsFailed", "NodeLosses", "Preemptions")
                VALUES ('ws', 'old', 'e', 'd', {JobStatuses.Completed}, {"{}"}, {firstEnd}, {firstEnd}, 4, 3, 1, 6, 5, 1, 0, 0),
                       ('ws', 'unstarted', 'e', 'd', {JobStatuses.Queued}, {"{}"}, {firstEnd}, {firstEnd}, 0, 0, 0, 0, 0, 0, 0, 0)
                """, ct);
            foreach (var (index, status, worker, items, rows, ended) in new (int, string, string?, int, long, DateTime?)[]
            {
                (0, MiniBatchStatuses.Succeeded, "node-a.worker-0.0", 2, 7, firstEnd.AddSeconds(3)),
                (1, MiniBatchStatuses.Succeeded, "node-a.worker-1.0", 1, 2, firstEnd),
                (2, MiniBatchStatuses.Failed, "worker-0.0", 1, 0, firstEnd.AddSeconds(-5)),
                (3, MiniBatchStatuses.Succeeded, "worker-1.1", 2, 4, firstEnd.AddSeconds(9)),
                (4, MiniBatchStatuses.Pending, null, 1, 0, null),
            })
            {
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO "mini_batches" ("Workspace", "Job", "Index", "FilesJson", "ItemCount", "Status", "Attempts", "RowCount", "FailedItems", "Worker", "EndedAt", "PartOffset", "PartLength")
                    VALUES ('ws', 'old', {index}, '[]', {items}, {status}, 1, {rows}, 0, {worker}, {ended}, 0, 0)
                    """, ct);
            }
        }

        await services.GetRequiredService<SluiceDatabase>().MigrateAsync(ct);

        var store = services.GetRequiredService<JobStore>();
        Assert.Equal(new DateTime(2026, 5, 6, 7, 8, 9, 250), DateTime.SpecifyKind(((await store.FindAsync("ws", "old", ct))!.FirstOutputAt)!.Value, DateTimeKind.Unspecified));
        Assert.Null((await store.FindAsync("ws", "unstarted", ct))!.FirstOutputAt);
        Assert.Equal(
            [new NodeShare(WorkerNames.EmbeddedNode, 2, 1, 3, 4), new NodeShare("node-a", 2, 0, 3, 9)],
            await store.NodeSharesAsync("ws", "old", ct));
        Assert.Empty(await store.NodeSharesAsync("ws", "unstarted", ct));
    }
}
