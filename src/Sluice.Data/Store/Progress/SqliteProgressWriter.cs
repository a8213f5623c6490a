using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Sluice.Data.Store.Progress;

/// <summary>
/// SQLite's progress writer: two statements prepared once on the writer's connection and bound by position through
/// SQLite's own API. Microsoft.Data.Sqlite binds every parameter by name on every execution (a name lookup and a
/// UTF-8 conversion each), which measured as much as SQLite's own work for these one-row UPDATEs. The workspace and
/// job are bound once: SQLite keeps bindings across resets. Runs inside the transaction the base class opened on the
/// same connection. Whether a finished mini-batch counts is the number of rows its UPDATE changed: a RETURNING clause
/// would say the same but measured at twice the statement's cost (SQLite collects returned rows in a temporary table).
/// </summary>
internal sealed class SqliteProgressWriter : JobProgressWriter
{
    /// <summary>EF Core's and Microsoft.Data.Sqlite's text form of a <see cref="DateTime"/>, so both read what this writes.</summary>
    private const string TimeFormat = "yyyy-MM-dd HH:mm:ss.FFFFFFF";

    private static readonly string StartSql = $"""
        UPDATE "mini_batches" SET "Status" = '{MiniBatchStatuses.Running}', "Worker" = ?1, "StartedAt" = ?2
        WHERE "Workspace" = ?3 AND "Job" = ?4 AND "Index" = ?5 AND "Status" = '{MiniBatchStatuses.Pending}'
        """;

    private static readonly string FinishSql = $"""
        UPDATE "mini_batches" SET "Status" = ?1, "Attempts" = ?2, "RowCount" = ?3, "FailedItems" = ?4, "Error" = ?5, "Worker" = ?6,
            "EndedAt" = ?7, "StartedAt" = COALESCE(?8, "StartedAt"), "Part" = ?9, "PartOffset" = ?10, "PartLength" = ?11
        WHERE "Workspace" = ?12 AND "Job" = ?13 AND "Index" = ?14
            AND "Status" <> '{MiniBatchStatuses.Succeeded}' AND "Status" <> '{MiniBatchStatuses.Failed}'
        """;

    private readonly sqlite3 _handle;
    private sqlite3_stmt? _start;
    private sqlite3_stmt? _finish;

    public SqliteProgressWriter(SluiceDbContext db, string workspace, string job, TimeProvider clock)
        : base(db, workspace, job, clock)
    {
        _handle = ((SqliteConnection)Connection).Handle ?? throw new InvalidOperationException("the progress writer's SQLite connection is not open");
    }

    private protected override Task WriteStartedAsync(DbTransaction transaction, List<(int Index, string Worker, DateTime At)> started, CancellationToken cancellationToken)
    {
        var statement = _start ??= Prepare(StartSql, jobParameters: 3);
        foreach (var (index, worker, at) in started)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Check(raw.sqlite3_bind_text(statement, 1, worker));
            BindTime(statement, 2, at);
            Check(raw.sqlite3_bind_int(statement, 5, index));
            Step(statement);
        }

        return Task.CompletedTask;
    }

    private protected override Task WriteFinishedAsync(DbTransaction transaction, IReadOnlyList<(int Index, MiniBatchOutcome Outcome)> finished, DateTime now, CancellationToken cancellationToken)
    {
        var statement = _finish ??= Prepare(FinishSql, jobParameters: 12);
        BindTime(statement, 7, now);
        foreach (var (index, outcome) in finished)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Check(raw.sqlite3_bind_text(statement, 1, outcome.Status));
            Check(raw.sqlite3_bind_int(statement, 2, outcome.Attempts));
            Check(raw.sqlite3_bind_int64(statement, 3, outcome.Rows));
            Check(raw.sqlite3_bind_int(statement, 4, outcome.FailedItems));
            BindText(statement, 5, outcome.Error);
            BindText(statement, 6, outcome.Worker);
            if (DispatchedAt(index, outcome) is { } dispatched)
            {
                BindTime(statement, 8, dispatched);
            }
            else
            {
                Check(raw.sqlite3_bind_null(statement, 8));
            }

            BindText(statement, 9, outcome.Part);
            Check(raw.sqlite3_bind_int64(statement, 10, outcome.PartOffset));
            Check(raw.sqlite3_bind_int64(statement, 11, outcome.PartLength));
            Check(raw.sqlite3_bind_int(statement, 14, index));
            if (Step(statement) == 1)
            {
                Counted(outcome);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Prepares a statement and binds the workspace and job at <paramref name="jobParameters"/> and the one after it, for good.</summary>
    private sqlite3_stmt Prepare(string sql, int jobParameters)
    {
        Check(raw.sqlite3_prepare_v2(_handle, sql, out var statement));
        Check(raw.sqlite3_bind_text(statement, jobParameters, Workspace));
        Check(raw.sqlite3_bind_text(statement, jobParameters + 1, Job));
        return statement;
    }

    /// <summary>
    /// Runs the statement once and makes it ready for the next values; the number of rows it changed. No lock waits
    /// here: the base class's transaction began IMMEDIATE (Microsoft.Data.Sqlite's default), so the write lock is
    /// already held, and the connection's busy timeout waited for it.
    /// </summary>
    private int Step(sqlite3_stmt statement)
    {
        var result = raw.sqlite3_step(statement);
        var changed = raw.sqlite3_changes(_handle);
        raw.sqlite3_reset(statement);
        if (result != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(result, _handle);
        }

        return changed;
    }

    private void BindText(sqlite3_stmt statement, int index, string? value) =>
        Check(value is null ? raw.sqlite3_bind_null(statement, index) : raw.sqlite3_bind_text(statement, index, value));

    private void BindTime(sqlite3_stmt statement, int index, DateTime value)
    {
        Span<byte> text = stackalloc byte[32];
        if (!value.TryFormat(text, out var written, TimeFormat, CultureInfo.InvariantCulture))
        {
            throw new FormatException($"cannot format {value:O} for SQLite");
        }

        Check(raw.sqlite3_bind_text(statement, index, text[..written]));
    }

    private void Check(int result)
    {
        if (result != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(result, _handle);
        }
    }

    protected override ValueTask DisposeStatementsAsync()
    {
        _start?.Dispose();
        _finish?.Dispose();
        return ValueTask.CompletedTask;
    }
}
