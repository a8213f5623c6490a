using System.Data.Common;

namespace Sluice.Data.Store.Progress;

/// <summary>
/// The progress writer for PostgreSQL: a batch's UPDATEs go to the server as one <see cref="DbBatch"/> (one round trip
/// instead of one per mini-batch), with positional parameters, and each command's affected rows say whether its
/// mini-batch was counted before.
/// </summary>
internal sealed class BatchProgressWriter(SluiceDbContext db, string workspace, string job, TimeProvider clock) : JobProgressWriter(db, workspace, job, clock)
{
    private static readonly string StartSql = $"""
        UPDATE "mini_batches" SET "Status" = '{MiniBatchStatuses.Running}', "Worker" = $1, "StartedAt" = $2
        WHERE "Workspace" = $3 AND "Job" = $4 AND "Index" = $5 AND "Status" = '{MiniBatchStatuses.Pending}'
        """;

    // The casts type the parameters that may be null, which the server cannot infer inside COALESCE or from a null.
    private static readonly string FinishSql = $"""
        UPDATE "mini_batches" SET "Status" = $1, "Attempts" = $2, "RowCount" = $3, "FailedItems" = $4, "Error" = $5::text, "Worker" = $6::text,
            "EndedAt" = $7, "StartedAt" = COALESCE($8::timestamptz, "StartedAt"), "Part" = $9::text, "PartOffset" = $10, "PartLength" = $11
        WHERE "Workspace" = $12 AND "Job" = $13 AND "Index" = $14
            AND "Status" <> '{MiniBatchStatuses.Succeeded}' AND "Status" <> '{MiniBatchStatuses.Failed}'
        """;

    private protected override async Task WriteStartedAsync(DbTransaction transaction, List<(int Index, string Worker, DateTime At)> started, CancellationToken cancellationToken)
    {
        await using var batch = NewBatch(transaction);
        foreach (var (index, worker, at) in started)
        {
            Add(batch, StartSql, worker, at, Workspace, Job, index);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private protected override async Task WriteFinishedAsync(DbTransaction transaction, IReadOnlyList<(int Index, MiniBatchOutcome Outcome)> finished, DateTime now, CancellationToken cancellationToken)
    {
        await using var batch = NewBatch(transaction);
        foreach (var (index, o) in finished)
        {
            Add(batch, FinishSql, o.Status, o.Attempts, o.Rows, o.FailedItems, o.Error, o.Worker, now, DispatchedAt(index, o), o.Part, o.PartOffset, o.PartLength, Workspace, Job, index);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
        for (var i = 0; i < finished.Count; i++)
        {
            if (batch.BatchCommands[i].RecordsAffected == 1)
            {
                Counted(finished[i].Outcome);
            }
        }
    }

    private DbBatch NewBatch(DbTransaction transaction)
    {
        var batch = Connection.CreateBatch();
        batch.Transaction = transaction;
        return batch;
    }

    private static void Add(DbBatch batch, string sql, params object?[] values)
    {
        var command = batch.CreateBatchCommand();
        command.CommandText = sql;
        foreach (var value in values)
        {
            var parameter = command.CreateParameter();
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        batch.BatchCommands.Add(command);
    }
}
