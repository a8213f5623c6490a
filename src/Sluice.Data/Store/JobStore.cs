using System.Data;
using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Sluice.Core.Jobs;

namespace Sluice.Data.Store;

/// <summary>What one node did for a job: mini-batches it finished (and how many failed), items and rows.</summary>
public sealed record NodeShare(string Node, int MiniBatches, int FailedMiniBatches, long Items, long Rows);

/// <summary>The outcome of one run of a mini-batch, as the job engine records it.</summary>
/// <param name="Part">The group staging file holding the rows (<see cref="MiniBatchRecord.Part"/>), null for the mini-batch's own file.</param>
/// <param name="DispatchedAt">When its run was dispatched, for runs of a group (recorded with the outcome, not apart).</param>
public sealed record MiniBatchOutcome(string Status, int Attempts, long Rows, int SucceededItems, int FailedItems, string? Error, string? Worker, string? Part = null, long PartOffset = 0, long PartLength = 0, DateTime? DispatchedAt = null);

/// <summary>
/// Durable job state for the job engine: status changes, the plan (mini-batches), and results. Every result is one
/// transaction that updates the mini-batch and the job's counters together, so counters never drift from the rows.
/// </summary>
public sealed class JobStore(IDbContextFactory<SluiceDbContext> factory, TimeProvider clock)
{
    public async Task<JobRecord?> FindAsync(string workspace, string job, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.Workspace == workspace && j.Name == job, cancellationToken);
    }

    /// <summary>Jobs a restarted server must pick up again.</summary>
    public async Task<IReadOnlyList<(string Workspace, string Job)>> ListActiveAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var active = await db.Jobs.AsNoTracking().Where(j => JobStatuses.Active.Contains(j.Status)).OrderBy(j => j.CreatedAt).Select(j => new { j.Workspace, j.Name }).ToListAsync(cancellationToken);
        return active.Select(j => (j.Workspace, j.Name)).ToList();
    }

    /// <summary>Applies a change to the job row (status, reason, times) and saves it.</summary>
    public async Task<JobRecord> UpdateAsync(string workspace, string job, Action<JobRecord> change, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var record = await db.Jobs.FirstAsync(j => j.Workspace == workspace && j.Name == job, cancellationToken);
        change(record);
        record.ModifiedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        return record;
    }

    /// <summary>Sets the status unless the job already ended; returns false when it had (a cancel may have won the race).</summary>
    public async Task<bool> TransitionAsync(string workspace, string job, string status, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var changed = await db.Jobs
            .Where(j => j.Workspace == workspace && j.Name == job && !JobStatuses.Terminal.Contains(j.Status) && j.Status != JobStatuses.CancelRequested)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, status).SetProperty(j => j.ModifiedAt, now).SetProperty(j => j.StartedAt, j => j.StartedAt ?? (status == JobStatuses.Running ? now : null)), cancellationToken);
        return changed == 1;
    }

    /// <summary>Forgets a partial plan (the server stopped while listing the input) so it can be made again.</summary>
    public async Task ResetPlanAsync(string workspace, string job, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await db.MiniBatches.Where(m => m.Workspace == workspace && m.Job == job).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>
    /// Adds a page of the plan: multi-row INSERTs of <see cref="InsertChunk"/> rows, parameterised, in one transaction.
    /// Plain SQL rather than change tracking: a million-file plan is a million rows, and EF's per-entity work was most of
    /// the planning time.
    /// </summary>
    public async Task AddMiniBatchesAsync(IReadOnlyList<MiniBatchRecord> miniBatches, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var connection = db.Database.GetDbConnection();

        // One statement of InsertChunk rows, prepared once and run again with new values; the rest in a shorter one.
        DbCommand? full = null;
        try
        {
            for (var start = 0; start < miniBatches.Count; start += InsertChunk)
            {
                var count = Math.Min(InsertChunk, miniBatches.Count - start);
                var command = count == InsertChunk ? full ??= InsertCommand(connection, count) : InsertCommand(connection, count);
                command.Transaction = transaction.GetDbTransaction();
                for (var i = 0; i < count; i++)
                {
                    var m = miniBatches[start + i];
                    var values = command.Parameters;
                    values[i * 9].Value = m.Workspace;
                    values[(i * 9) + 1].Value = m.Job;
                    values[(i * 9) + 2].Value = m.Index;
                    values[(i * 9) + 3].Value = m.FilesJson;
                    values[(i * 9) + 4].Value = m.ItemCount;
                    values[(i * 9) + 5].Value = m.Status;
                    values[(i * 9) + 6].Value = m.Attempts;
                    values[(i * 9) + 7].Value = m.RowCount;
                    values[(i * 9) + 8].Value = m.FailedItems;
                }

                await command.ExecuteNonQueryAsync(cancellationToken);
                if (!ReferenceEquals(command, full))
                {
                    await command.DisposeAsync();
                }
            }
        }
        finally
        {
            if (full is not null)
            {
                await full.DisposeAsync();
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>A multi-row INSERT of <paramref name="rows"/> mini-batches, its parameters in column order, row by row.</summary>
    private static DbCommand InsertCommand(DbConnection connection, int rows)
    {
        var command = connection.CreateCommand();
        var sql = new StringBuilder("INSERT INTO \"mini_batches\" (\"Workspace\", \"Job\", \"Index\", \"FilesJson\", \"ItemCount\", \"Status\", \"Attempts\", \"RowCount\", \"FailedItems\") VALUES ");
        (string Name, DbType Type)[] columns = [("w", DbType.String), ("j", DbType.String), ("i", DbType.Int32), ("f", DbType.String), ("c", DbType.Int32), ("s", DbType.String), ("a", DbType.Int32), ("r", DbType.Int64), ("e", DbType.Int32)];
        for (var i = 0; i < rows; i++)
        {
            sql.Append(i == 0 ? "(" : ", (");
            for (var c = 0; c < columns.Length; c++)
            {
                var name = $"{columns[c].Name}{i}";
                Parameter(command, name, columns[c].Type);
                sql.Append(c == 0 ? "@" : ", @").Append(name);
            }

            sql.Append(')');
        }

        command.CommandText = sql.ToString();
        return command;
    }

    /// <summary>Rows per INSERT: 9 parameters each, far below SQLite's and PostgreSQL's limits on parameters.</summary>
    private const int InsertChunk = 100;

    private static DbParameter Parameter(DbCommand command, string name, DbType type)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@" + name;
        parameter.DbType = type;
        command.Parameters.Add(parameter);
        return parameter;
    }

    public Task CompletePlanAsync(string workspace, string job, int miniBatches, long items, CancellationToken cancellationToken = default) =>
        UpdateAsync(workspace, job, j =>
        {
            j.MiniBatchesTotal = miniBatches;
            j.ItemsTotal = items;
            j.PlannedAt = clock.GetUtcNow().UtcDateTime;
        }, cancellationToken);

    /// <summary>After a restart, mini-batches that were running are run again; their committed output (if any) is overwritten whole.</summary>
    public async Task<int> RequeueRunningAsync(string workspace, string job, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.MiniBatches
            .Where(m => m.Workspace == workspace && m.Job == job && m.Status == MiniBatchStatuses.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, MiniBatchStatuses.Pending).SetProperty(m => m.Worker, (string?)null), cancellationToken);
    }

    public async Task<List<MiniBatchRecord>> PendingAsync(string workspace, string job, int afterIndex, int take, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.MiniBatches.AsNoTracking()
            .Where(m => m.Workspace == workspace && m.Job == job && m.Status == MiniBatchStatuses.Pending && m.Index > afterIndex)
            .OrderBy(m => m.Index).Take(take).ToListAsync(cancellationToken);
    }

    /// <summary>Records a finished mini-batch and adds its counts to the job, in one transaction.</summary>
    public Task CompleteMiniBatchAsync(string workspace, string job, int index, MiniBatchOutcome outcome, CancellationToken cancellationToken = default) =>
        RecordAsync(workspace, job, [], [(index, outcome)], cancellationToken);

    /// <summary>
    /// Records a batch of progress in one transaction: mini-batches that started (with their worker) and mini-batches
    /// that finished (with their outcome, added to the job's counters). A finished mini-batch is counted once: a
    /// duplicate completion (a late reply after a retry) changes nothing. A mini-batch's start time is when it was
    /// dispatched (<c>At</c>), also when it started and finished within one batch.
    /// </summary>
    public async Task RecordAsync(string workspace, string job, IReadOnlyList<(int Index, string Worker, DateTime At)> started, IReadOnlyList<(int Index, MiniBatchOutcome Outcome)> finished, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var connection = db.Database.GetDbConnection();
        var now = clock.GetUtcNow().UtcDateTime;
        var startedAt = new Dictionary<int, DateTime>(started.Count);
        foreach (var (index, _, at) in started)
        {
            startedAt[index] = at;
        }

        var finishedIndexes = finished.Select(f => f.Index).ToHashSet();

        // One parameterised statement per kind, run once per mini-batch with new values: the provider prepares it once.
        if (started.Count > 0)
        {
            await using var start = connection.CreateCommand();
            start.Transaction = transaction.GetDbTransaction();
            start.CommandText = """
                UPDATE "mini_batches" SET "Status" = @running, "Worker" = @worker, "StartedAt" = @at
                WHERE "Workspace" = @workspace AND "Job" = @job AND "Index" = @index AND "Status" = @pending
                """;
            Parameter(start, "running", DbType.String).Value = MiniBatchStatuses.Running;
            Parameter(start, "pending", DbType.String).Value = MiniBatchStatuses.Pending;
            Parameter(start, "workspace", DbType.String).Value = workspace;
            Parameter(start, "job", DbType.String).Value = job;
            var at = Now(start, "at", now);
            var worker = Parameter(start, "worker", DbType.String);
            var index = Parameter(start, "index", DbType.Int32);
            foreach (var (i, w, time) in started.Where(s => !finishedIndexes.Contains(s.Index)))
            {
                (index.Value, worker.Value, at.Value) = (i, w, time);
                await start.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        int succeeded = 0, failed = 0;
        long itemsSucceeded = 0, itemsFailed = 0;
        if (finished.Count > 0)
        {
            await using var finish = connection.CreateCommand();
            finish.Transaction = transaction.GetDbTransaction();
            finish.CommandText = """
                UPDATE "mini_batches" SET "Status" = @status, "Attempts" = @attempts, "RowCount" = @rows, "FailedItems" = @failed,
                    "Error" = @error, "Worker" = @worker, "EndedAt" = @now, "StartedAt" = COALESCE(@startedAt, "StartedAt"),
                    "Part" = @part, "PartOffset" = @partOffset, "PartLength" = @partLength
                WHERE "Workspace" = @workspace AND "Job" = @job AND "Index" = @index AND "Status" <> @succeeded AND "Status" <> @failedStatus
                """;
            Parameter(finish, "succeeded", DbType.String).Value = MiniBatchStatuses.Succeeded;
            Parameter(finish, "failedStatus", DbType.String).Value = MiniBatchStatuses.Failed;
            Parameter(finish, "workspace", DbType.String).Value = workspace;
            Parameter(finish, "job", DbType.String).Value = job;
            Now(finish, "now", now);
            var dispatched = Now(finish, "startedAt", now);
            var status = Parameter(finish, "status", DbType.String);
            var attempts = Parameter(finish, "attempts", DbType.Int32);
            var rows = Parameter(finish, "rows", DbType.Int64);
            var failedItems = Parameter(finish, "failed", DbType.Int32);
            var error = Parameter(finish, "error", DbType.String);
            var worker = Parameter(finish, "worker", DbType.String);
            var index = Parameter(finish, "index", DbType.Int32);
            var part = Parameter(finish, "part", DbType.String);
            var partOffset = Parameter(finish, "partOffset", DbType.Int64);
            var partLength = Parameter(finish, "partLength", DbType.Int64);
            foreach (var (i, outcome) in finished)
            {
                part.Value = (object?)outcome.Part ?? DBNull.Value;
                partOffset.Value = outcome.PartOffset;
                partLength.Value = outcome.PartLength;
                index.Value = i;
                status.Value = outcome.Status;
                attempts.Value = outcome.Attempts;
                rows.Value = outcome.Rows;
                failedItems.Value = outcome.FailedItems;
                error.Value = (object?)outcome.Error ?? DBNull.Value;
                worker.Value = (object?)outcome.Worker ?? DBNull.Value;
                dispatched.Value = startedAt.TryGetValue(i, out var time) ? time : (object?)outcome.DispatchedAt ?? DBNull.Value;
                if (await finish.ExecuteNonQueryAsync(cancellationToken) == 1)
                {
                    if (outcome.Status == MiniBatchStatuses.Succeeded)
                    {
                        succeeded++;
                    }
                    else
                    {
                        failed++;
                    }

                    itemsSucceeded += outcome.SucceededItems;
                    itemsFailed += outcome.FailedItems;
                }
            }
        }

        if (succeeded + failed > 0)
        {
            await db.Jobs.Where(j => j.Workspace == workspace && j.Name == job)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(j => j.MiniBatchesSucceeded, j => j.MiniBatchesSucceeded + succeeded)
                    .SetProperty(j => j.MiniBatchesFailed, j => j.MiniBatchesFailed + failed)
                    .SetProperty(j => j.ItemsSucceeded, j => j.ItemsSucceeded + itemsSucceeded)
                    .SetProperty(j => j.ItemsFailed, j => j.ItemsFailed + itemsFailed)
                    .SetProperty(j => j.ModifiedAt, now), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The time as each provider stores it: SQLite as EF's text, PostgreSQL as <c>timestamp with time zone</c> (UTC).</summary>
    private static DbParameter Now(DbCommand command, string name, DateTime now)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@" + name;
        parameter.Value = now;
        command.Parameters.Add(parameter);
        return parameter;
    }

    /// <summary>Mini-batches not finished (pending or running), in index order, in pages.</summary>
    public async Task<List<MiniBatchRecord>> UnfinishedAsync(string workspace, string job, int afterIndex, int take, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.MiniBatches.AsNoTracking()
            .Where(m => m.Workspace == workspace && m.Job == job && m.Status != MiniBatchStatuses.Succeeded && m.Status != MiniBatchStatuses.Failed && m.Index > afterIndex)
            .OrderBy(m => m.Index).Take(take).ToListAsync(cancellationToken);
    }

    /// <summary>Finished mini-batches in index order, in pages, for the final merge.</summary>
    public async Task<List<MiniBatchRecord>> FinishedAsync(string workspace, string job, int afterIndex, int take, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.MiniBatches.AsNoTracking()
            .Where(m => m.Workspace == workspace && m.Job == job && (m.Status == MiniBatchStatuses.Succeeded || m.Status == MiniBatchStatuses.Failed) && m.Index > afterIndex)
            .OrderBy(m => m.Index).Take(take).ToListAsync(cancellationToken);
    }

    /// <summary>Counts a compute node the job lost (and whether it was a preemption) on the job itself.</summary>
    public async Task CountNodeLossAsync(string workspace, string job, bool preemption, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var extra = preemption ? 1 : 0;
        await db.Jobs.Where(j => j.Workspace == workspace && j.Name == job)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.NodeLosses, j => j.NodeLosses + 1).SetProperty(j => j.Preemptions, j => j.Preemptions + extra), cancellationToken);
    }

    /// <summary>
    /// When the job's first output was committed: the earliest end of its succeeded mini-batches (their rows are in the
    /// job's staging area by then), or null while none has succeeded. Served by the (workspace, job, status) index.
    /// </summary>
    public async Task<DateTime?> FirstOutputAtAsync(string workspace, string job, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.MiniBatches.AsNoTracking()
            .Where(m => m.Workspace == workspace && m.Job == job && m.Status == MiniBatchStatuses.Succeeded)
            .MinAsync(m => m.EndedAt, cancellationToken);
    }

    /// <summary>
    /// The job's per-node report: finished mini-batches grouped by the node whose worker finished them (a re-queued
    /// mini-batch counts once, for the node that finished it).
    /// </summary>
    public async Task<IReadOnlyList<NodeShare>> NodeSharesAsync(string workspace, string job, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var finished = await db.MiniBatches.AsNoTracking()
            .Where(m => m.Workspace == workspace && m.Job == job && m.Worker != null && (m.Status == MiniBatchStatuses.Succeeded || m.Status == MiniBatchStatuses.Failed))
            .GroupBy(m => new { m.Worker, m.Status })
            .Select(g => new { g.Key.Worker, g.Key.Status, Count = g.Count(), Items = g.Sum(m => (long)m.ItemCount), Rows = g.Sum(m => m.RowCount) })
            .ToListAsync(cancellationToken);
        return finished
            .GroupBy(w => WorkerNames.NodeOf(w.Worker!))
            .Select(n => new NodeShare(
                n.Key,
                n.Sum(w => w.Count),
                n.Where(w => w.Status == MiniBatchStatuses.Failed).Sum(w => w.Count),
                n.Sum(w => w.Items),
                n.Sum(w => w.Rows)))
            .OrderBy(n => n.Node, StringComparer.Ordinal)
            .ToList();
    }
}
