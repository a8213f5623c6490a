using System.Data;
using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Sluice.Core.Jobs;
using Sluice.Data.Store.Progress;

namespace Sluice.Data.Store;

/// <summary>What one node did for a job: mini-batches it finished (and how many failed), items and rows.</summary>
public sealed record NodeShare(string Node, int MiniBatches, int FailedMiniBatches, long Items, long Rows);

/// <summary>The outcome of one run of a mini-batch, as the job engine records it.</summary>
/// <param name="Part">The group staging file holding the rows (<see cref="MiniBatchRecord.Part"/>), null for the mini-batch's own file.</param>
/// <param name="DispatchedAt">When its run was dispatched, for runs of a group (recorded with the outcome, not apart).</param>
/// <param name="ItemCount">The mini-batch's planned items, for its node's share; when not given, its succeeded and failed items.</param>
public sealed record MiniBatchOutcome(string Status, int Attempts, long Rows, int SucceededItems, int FailedItems, string? Error, string? Worker, string? Part = null, long PartOffset = 0, long PartLength = 0, DateTime? DispatchedAt = null, int? ItemCount = null);

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
        await db.JobNodeShares.Where(n => n.Workspace == workspace && n.Job == job).ExecuteDeleteAsync(cancellationToken);
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

    /// <summary>Pending mini-batches after <paramref name="afterIndex"/>, in index order: the dispatch queue's refills.</summary>
    public Task<List<MiniBatchRecord>> PendingAsync(string workspace, string job, int afterIndex, int take, CancellationToken cancellationToken = default) =>
        PageAsync(workspace, job, afterIndex, take, $"\"Status\" = '{MiniBatchStatuses.Pending}'", cancellationToken);

    /// <summary>Records a finished mini-batch and adds its counts to the job, in one transaction.</summary>
    public Task CompleteMiniBatchAsync(string workspace, string job, int index, MiniBatchOutcome outcome, CancellationToken cancellationToken = default) =>
        RecordAsync(workspace, job, [], [(index, outcome)], cancellationToken);

    /// <summary>
    /// Records a batch of progress in one transaction (see <see cref="JobProgressWriter"/>). A running job keeps a writer
    /// of its own instead (<see cref="OpenProgressWriterAsync"/>), so it pays for the connection and statements once.
    /// </summary>
    public async Task RecordAsync(string workspace, string job, IReadOnlyList<(int Index, string Worker, DateTime At)> started, IReadOnlyList<(int Index, MiniBatchOutcome Outcome)> finished, CancellationToken cancellationToken = default)
    {
        await using var writer = await OpenProgressWriterAsync(workspace, job, cancellationToken);
        await writer.RecordAsync(started, finished, cancellationToken);
    }

    /// <summary>A writer of one job's progress that keeps its connection until disposed.</summary>
    public Task<JobProgressWriter> OpenProgressWriterAsync(string workspace, string job, CancellationToken cancellationToken = default) =>
        JobProgressWriter.OpenAsync(factory, workspace, job, clock, cancellationToken);

    /// <summary>Mini-batches not finished (pending or running), in index order, in pages.</summary>
    public Task<List<MiniBatchRecord>> UnfinishedAsync(string workspace, string job, int afterIndex, int take, CancellationToken cancellationToken = default) =>
        PageAsync(workspace, job, afterIndex, take, $"\"Status\" <> '{MiniBatchStatuses.Succeeded}' AND \"Status\" <> '{MiniBatchStatuses.Failed}'", cancellationToken);

    /// <summary>Finished mini-batches in index order, in pages, for the final merge.</summary>
    public Task<List<MiniBatchRecord>> FinishedAsync(string workspace, string job, int afterIndex, int take, CancellationToken cancellationToken = default) =>
        PageAsync(workspace, job, afterIndex, take, $"(\"Status\" = '{MiniBatchStatuses.Succeeded}' OR \"Status\" = '{MiniBatchStatuses.Failed}')", cancellationToken);

    /// <summary>
    /// A page of a job's mini-batches in index order, read with a plain data reader: dispatch refills and the final merge
    /// read every mini-batch of a job, and EF Core's materialisation was most of that time. The range on the primary key
    /// serves the query on both providers; <paramref name="statusFilter"/> is one of the constant conditions above.
    /// </summary>
    private async Task<List<MiniBatchRecord>> PageAsync(string workspace, string job, int afterIndex, int take, string statusFilter, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = $"""
            SELECT "Index", "FilesJson", "ItemCount", "Status", "Attempts", "RowCount", "FailedItems", "Error", "Worker", "Part", "PartOffset", "PartLength", "StartedAt", "EndedAt"
            FROM "mini_batches" WHERE "Workspace" = @workspace AND "Job" = @job AND "Index" > @after AND {statusFilter}
            ORDER BY "Index" LIMIT @take
            """;
        Parameter(command, "workspace", DbType.String).Value = workspace;
        Parameter(command, "job", DbType.String).Value = job;
        Parameter(command, "after", DbType.Int32).Value = afterIndex;
        Parameter(command, "take", DbType.Int32).Value = take;
        var page = new List<MiniBatchRecord>(Math.Min(take, 4096));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            page.Add(new MiniBatchRecord
            {
                Workspace = workspace,
                Job = job,
                Index = reader.GetInt32(0),
                FilesJson = reader.GetString(1),
                ItemCount = reader.GetInt32(2),
                Status = reader.GetString(3),
                Attempts = reader.GetInt32(4),
                RowCount = reader.GetInt64(5),
                FailedItems = reader.GetInt32(6),
                Error = reader.IsDBNull(7) ? null : reader.GetString(7),
                Worker = reader.IsDBNull(8) ? null : reader.GetString(8),
                Part = reader.IsDBNull(9) ? null : reader.GetString(9),
                PartOffset = reader.GetInt64(10),
                PartLength = reader.GetInt64(11),
                StartedAt = Utc(reader, 12),
                EndedAt = Utc(reader, 13),
            });
        }

        return page;
    }

    /// <summary>A stored time as UTC: PostgreSQL returns it so, SQLite's text carries no kind (every time Sluice stores is UTC).</summary>
    private static DateTime? Utc(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Utc);

    /// <summary>Counts a compute node the job lost (and whether it was a preemption) on the job itself.</summary>
    public async Task CountNodeLossAsync(string workspace, string job, bool preemption, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var extra = preemption ? 1 : 0;
        await db.Jobs.Where(j => j.Workspace == workspace && j.Name == job)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.NodeLosses, j => j.NodeLosses + 1).SetProperty(j => j.Preemptions, j => j.Preemptions + extra), cancellationToken);
    }

    /// <summary>
    /// The job's per-node report: its finished mini-batches by the node whose worker finished them (a re-queued
    /// mini-batch counts once, for the node that finished it), counted as progress is recorded.
    /// </summary>
    public async Task<IReadOnlyList<NodeShare>> NodeSharesAsync(string workspace, string job, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var shares = await db.JobNodeShares.AsNoTracking().Where(n => n.Workspace == workspace && n.Job == job).ToListAsync(cancellationToken);
        return shares
            .Select(n => new NodeShare(n.Node, n.MiniBatches, n.FailedMiniBatches, n.Items, n.Rows))
            .OrderBy(n => n.Node, StringComparer.Ordinal)
            .ToList();
    }
}
