using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Sluice.Core.Jobs;

namespace Sluice.Data.Store.Progress;

/// <summary>
/// Writes one job's progress: mini-batches that started (with their worker) and mini-batches that finished (with their
/// outcome, added to the job's counters), a batch per transaction. It keeps one connection, and its prepared
/// statements, for as long as the job runs: a million-mini-batch job records a million outcomes, and opening a
/// connection and preparing and binding statements by name again for every batch was most of that cost.
/// A finished mini-batch is counted once: a duplicate completion (a late reply after a retry) changes nothing. A
/// mini-batch's start time is when it was dispatched, also when it started and finished within one batch.
/// </summary>
public abstract class JobProgressWriter : IAsyncDisposable
{
    private readonly SluiceDbContext _db;
    private readonly TimeProvider _clock;
    private readonly List<(int Index, string Worker, DateTime At)> _startedOnly = [];
    private readonly Dictionary<int, DateTime> _startedAt = [];
    private readonly Dictionary<string, NodeShareCounts> _nodes = new(StringComparer.Ordinal);
    private ProgressCounts _counts;
    private DbCommand? _counters;
    private DbCommand? _share;

    private protected JobProgressWriter(SluiceDbContext db, string workspace, string job, TimeProvider clock)
    {
        _db = db;
        _clock = clock;
        Workspace = workspace;
        Job = job;
    }

    protected string Workspace { get; }

    protected string Job { get; }

    protected DbConnection Connection => _db.Database.GetDbConnection();

    /// <summary>Opens a writer for one job on a connection of its own: SQLite's statements run through its native API, bound by position; PostgreSQL's go as one batch per round trip.</summary>
    public static async Task<JobProgressWriter> OpenAsync(IDbContextFactory<SluiceDbContext> factory, string workspace, string job, TimeProvider clock, CancellationToken cancellationToken = default)
    {
        var db = await factory.CreateDbContextAsync(cancellationToken);
        try
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
            return db.Database.GetDbConnection() is SqliteConnection
                ? new SqliteProgressWriter(db, workspace, job, clock)
                : new BatchProgressWriter(db, workspace, job, clock);
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }
    }

    /// <summary>Records a batch of progress in one transaction.</summary>
    public async Task RecordAsync(IReadOnlyList<(int Index, string Worker, DateTime At)> started, IReadOnlyList<(int Index, MiniBatchOutcome Outcome)> finished, CancellationToken cancellationToken = default)
    {
        var now = _clock.GetUtcNow().UtcDateTime;
        _startedAt.Clear();
        _startedOnly.Clear();
        foreach (var entry in started)
        {
            _startedAt[entry.Index] = entry.At;
        }

        if (started.Count > 0)
        {
            var finishing = new HashSet<int>(finished.Count);
            foreach (var (index, _) in finished)
            {
                finishing.Add(index);
            }

            foreach (var entry in started)
            {
                if (!finishing.Contains(entry.Index))
                {
                    _startedOnly.Add(entry);
                }
            }
        }

        await using var transaction = await Connection.BeginTransactionAsync(cancellationToken);
        if (_startedOnly.Count > 0)
        {
            await WriteStartedAsync(transaction, _startedOnly, cancellationToken);
        }

        _counts = default;
        _nodes.Clear();
        if (finished.Count > 0)
        {
            await WriteFinishedAsync(transaction, finished, now, cancellationToken);
        }

        if (_counts.MiniBatches > 0)
        {
            await AddToJobAsync(transaction, _counts, now, cancellationToken);
            foreach (var (node, share) in _nodes)
            {
                await AddToNodeAsync(transaction, node, share, cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>When the run that finished a mini-batch was dispatched: its start in this batch, else what the outcome says (runs of a group).</summary>
    protected DateTime? DispatchedAt(int index, MiniBatchOutcome outcome) =>
        _startedAt.TryGetValue(index, out var at) ? at : outcome.DispatchedAt;

    /// <summary>Marks pending mini-batches running on their worker since their dispatch time.</summary>
    private protected abstract Task WriteStartedAsync(DbTransaction transaction, List<(int Index, string Worker, DateTime At)> started, CancellationToken cancellationToken);

    /// <summary>Records outcomes, calling <see cref="Counted"/> for each mini-batch that was not finished before (its row changed).</summary>
    private protected abstract Task WriteFinishedAsync(DbTransaction transaction, IReadOnlyList<(int Index, MiniBatchOutcome Outcome)> finished, DateTime now, CancellationToken cancellationToken);

    /// <summary>Adds a mini-batch that finished for the first time to the job's counters and to its node's share.</summary>
    private protected void Counted(MiniBatchOutcome outcome)
    {
        _counts.Add(outcome);
        if (outcome.Worker is { } worker)
        {
            var node = WorkerNames.NodeOf(worker);
            var share = _nodes.GetValueOrDefault(node);
            share.MiniBatches++;
            share.FailedMiniBatches += outcome.Status == MiniBatchStatuses.Succeeded ? 0 : 1;
            share.Items += outcome.ItemCount ?? outcome.SucceededItems + outcome.FailedItems;
            share.Rows += outcome.Rows;
            _nodes[node] = share;
        }
    }

    /// <summary>Adds a batch's counts to the job's counters: one statement per batch, so it stays plain ADO.NET on both providers.</summary>
    private async Task AddToJobAsync(DbTransaction transaction, ProgressCounts counts, DateTime now, CancellationToken cancellationToken)
    {
        if (_counters is null)
        {
            _counters = Connection.CreateCommand();
            _counters.CommandText = """
                UPDATE "jobs" SET "MiniBatchesSucceeded" = "MiniBatchesSucceeded" + @succeeded, "MiniBatchesFailed" = "MiniBatchesFailed" + @failed,
                    "ItemsSucceeded" = "ItemsSucceeded" + @itemsSucceeded, "ItemsFailed" = "ItemsFailed" + @itemsFailed, "ModifiedAt" = @now,
                    "FirstOutputAt" = CASE WHEN @succeeded > 0 THEN COALESCE("FirstOutputAt", @now) ELSE "FirstOutputAt" END
                WHERE "Workspace" = @workspace AND "Name" = @job
                """;
            Add(_counters, "succeeded", DbType.Int32);
            Add(_counters, "failed", DbType.Int32);
            Add(_counters, "itemsSucceeded", DbType.Int64);
            Add(_counters, "itemsFailed", DbType.Int64);
            Add(_counters, "now", null);
            Add(_counters, "workspace", DbType.String).Value = Workspace;
            Add(_counters, "job", DbType.String).Value = Job;
        }

        _counters.Transaction = transaction;
        var values = _counters.Parameters;
        values[0].Value = counts.Succeeded;
        values[1].Value = counts.Failed;
        values[2].Value = counts.ItemsSucceeded;
        values[3].Value = counts.ItemsFailed;
        values[4].Value = now;
        await _counters.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Adds a batch's mini-batches of one node to the node's share of the job, creating it on the node's first.</summary>
    private async Task AddToNodeAsync(DbTransaction transaction, string node, NodeShareCounts share, CancellationToken cancellationToken)
    {
        if (_share is null)
        {
            _share = Connection.CreateCommand();
            _share.CommandText = """
                INSERT INTO "job_node_shares" ("Workspace", "Job", "Node", "MiniBatches", "FailedMiniBatches", "Items", "Rows")
                VALUES (@workspace, @job, @node, @miniBatches, @failed, @items, @rows)
                ON CONFLICT ("Workspace", "Job", "Node") DO UPDATE SET
                    "MiniBatches" = "job_node_shares"."MiniBatches" + excluded."MiniBatches",
                    "FailedMiniBatches" = "job_node_shares"."FailedMiniBatches" + excluded."FailedMiniBatches",
                    "Items" = "job_node_shares"."Items" + excluded."Items",
                    "Rows" = "job_node_shares"."Rows" + excluded."Rows"
                """;
            Add(_share, "node", DbType.String);
            Add(_share, "miniBatches", DbType.Int32);
            Add(_share, "failed", DbType.Int32);
            Add(_share, "items", DbType.Int64);
            Add(_share, "rows", DbType.Int64);
            Add(_share, "workspace", DbType.String).Value = Workspace;
            Add(_share, "job", DbType.String).Value = Job;
        }

        _share.Transaction = transaction;
        var values = _share.Parameters;
        values[0].Value = node;
        values[1].Value = share.MiniBatches;
        values[2].Value = share.FailedMiniBatches;
        values[3].Value = share.Items;
        values[4].Value = share.Rows;
        await _share.ExecuteNonQueryAsync(cancellationToken);
    }

    private static DbParameter Add(DbCommand command, string name, DbType? type)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@" + name;
        if (type is { } known)
        {
            parameter.DbType = known;
        }

        command.Parameters.Add(parameter);
        return parameter;
    }

    /// <summary>Releases the writer's statements before its connection goes back to the pool.</summary>
    protected virtual ValueTask DisposeStatementsAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        try
        {
            await DisposeStatementsAsync();
            if (_counters is not null)
            {
                await _counters.DisposeAsync();
            }

            if (_share is not null)
            {
                await _share.DisposeAsync();
            }
        }
        finally
        {
            await _db.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}

/// <summary>What a batch of outcomes adds to one node's share of its job.</summary>
internal struct NodeShareCounts
{
    public int MiniBatches;
    public int FailedMiniBatches;
    public long Items;
    public long Rows;
}

/// <summary>What a batch of outcomes adds to its job's counters.</summary>
internal struct ProgressCounts
{
    public int Succeeded;
    public int Failed;
    public long ItemsSucceeded;
    public long ItemsFailed;

    public readonly int MiniBatches => Succeeded + Failed;

    public void Add(MiniBatchOutcome outcome)
    {
        if (outcome.Status == MiniBatchStatuses.Succeeded)
        {
            Succeeded++;
        }
        else
        {
            Failed++;
        }

        ItemsSucceeded += outcome.SucceededItems;
        ItemsFailed += outcome.FailedItems;
    }
}
