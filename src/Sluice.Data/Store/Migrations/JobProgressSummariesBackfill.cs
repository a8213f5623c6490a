using Sluice.Core.Jobs;

namespace Sluice.Data.Store.Migrations;

/// <summary>
/// Fills the job progress summaries (<see cref="JobRecord.FirstOutputAt"/>, <see cref="JobNodeShareRecord"/>) of jobs
/// recorded before the JobProgressSummaries migration, from their mini-batches, as <c>job show</c> computed them then:
/// the earliest end of a succeeded mini-batch; finished mini-batches with a worker, by the worker's node.
/// </summary>
internal static class JobProgressSummariesBackfill
{
    /// <summary>The statements for one provider; <paramref name="position"/> is its function for a substring's 1-based position (0 when absent).</summary>
    public static string Sql(string position)
    {
        var separator = $"{position}(\"Worker\", '.worker-')";
        return $"""
            INSERT INTO "job_node_shares" ("Workspace", "Job", "Node", "MiniBatches", "FailedMiniBatches", "Items", "Rows")
            SELECT "Workspace", "Job", "Node", COUNT(*), SUM(CASE WHEN "Status" = '{MiniBatchStatuses.Failed}' THEN 1 ELSE 0 END), SUM("ItemCount"), SUM("RowCount")
            FROM (
                SELECT "Workspace", "Job", "Status", "ItemCount", "RowCount",
                    CASE WHEN {separator} > 0 THEN substr("Worker", 1, {separator} - 1) ELSE '{WorkerNames.EmbeddedNode}' END AS "Node"
                FROM "mini_batches"
                WHERE "Worker" IS NOT NULL AND ("Status" = '{MiniBatchStatuses.Succeeded}' OR "Status" = '{MiniBatchStatuses.Failed}')
            ) AS finished
            GROUP BY "Workspace", "Job", "Node";

            UPDATE "jobs" SET "FirstOutputAt" = (
                SELECT MIN(m."EndedAt") FROM "mini_batches" AS m
                WHERE m."Workspace" = "jobs"."Workspace" AND m."Job" = "jobs"."Name" AND m."Status" = '{MiniBatchStatuses.Succeeded}');
            """;
    }
}
