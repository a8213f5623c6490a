using System.Globalization;
using System.Text;
using System.Text.Json;
using Sluice.Cluster.Workers;
using Sluice.Data.Datastores;
using Sluice.Data.Store;
using Sluice.Scoring.Output;

namespace Sluice.Cluster.Jobs;

/// <summary>The job's own log files, in <c>logs/</c> of its folder, named as Azure ML names them.</summary>
public sealed class JobLogs(IDatastoreClient store, string jobFolder)
{
    public string Folder => $"{jobFolder}/logs";

    public Task WriteResultAsync(string status, string reason, CancellationToken cancellationToken) =>
        WriteAsync("job_result.txt", $"{status}\n{reason}\n", cancellationToken);

    public Task WriteErrorAsync(string text, CancellationToken cancellationToken) =>
        WriteAsync("job_error.txt", text, cancellationToken);

    public Task WriteOverviewAsync(JobRecord job, IReadOnlyDictionary<string, int> inFlight, DateTime now, CancellationToken cancellationToken, DateTime? lastProgress = null, TimeSpan? stallThreshold = null)
    {
        var text = new StringBuilder();
        var done = job.MiniBatchesSucceeded + job.MiniBatchesFailed;
        var elapsed = job.StartedAt is { } started ? now - started : TimeSpan.Zero;
        var rate = elapsed.TotalSeconds > 0 ? job.ItemsSucceeded / elapsed.TotalSeconds : 0;
        text.AppendLine(CultureInfo.InvariantCulture, $"Job: {job.Name}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Status: {job.Status}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Updated: {now:O}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Mini-batches: {job.MiniBatchesTotal} total, {job.MiniBatchesSucceeded} succeeded, {job.MiniBatchesFailed} failed, {inFlight.Count} in flight");
        text.AppendLine(CultureInfo.InvariantCulture, $"Items: {job.ItemsTotal} total, {job.ItemsSucceeded} succeeded, {job.ItemsFailed} failed");
        text.AppendLine(CultureInfo.InvariantCulture, $"Elapsed: {elapsed:hh\\:mm\\:ss}; rate: {rate:0.0} items/s");
        if (rate > 0 && done < job.MiniBatchesTotal)
        {
            var remaining = (job.ItemsTotal - job.ItemsSucceeded - job.ItemsFailed) / rate;
            text.AppendLine(CultureInfo.InvariantCulture, $"Estimated time left: {TimeSpan.FromSeconds(remaining):hh\\:mm\\:ss}");
        }

        if (lastProgress is { } last && stallThreshold is { } threshold && now - last > threshold && inFlight.Count > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"WARNING: no mini-batch has finished for {now - last:hh\\:mm\\:ss} (more than {threshold.TotalSeconds:0} s); the workers below hold mini-batches that may be stuck. Their logs are in logs/user/ and logs/sys/worker/.");
        }

        if (inFlight.Count > 0)
        {
            text.AppendLine("Workers:");
            foreach (var (worker, index) in inFlight.OrderBy(w => w.Key, StringComparer.Ordinal))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  {worker}: mini-batch {index}");
            }
        }

        return WriteAsync("job_progress_overview.txt", text.ToString(), cancellationToken);
    }

    /// <summary>Every failed item with its mini-batch, attempts, error type and message, as CSV.</summary>
    public async Task<long> WriteFailedItemsAsync(JobStore jobs, string workspace, string job, CancellationToken cancellationToken)
    {
        await using var upload = await store.BeginWriteAsync($"{Folder}/failed_items.csv", overwrite: true, cancellationToken);
        long count = 0;
        await using (var writer = new StreamWriter(upload.Content, new UTF8Encoding(false), 64 * 1024, leaveOpen: true))
        {
            CsvRowWriter.WriteRow(writer, ["input", "mini_batch", "attempts", "error_type", "message"]);
            var after = -1;
            while (true)
            {
                var page = await jobs.FinishedAsync(workspace, job, after, 1000, cancellationToken);
                if (page.Count == 0)
                {
                    break;
                }

                foreach (var miniBatch in page)
                {
                    after = miniBatch.Index;
                    if (miniBatch.Error is null)
                    {
                        continue;
                    }

                    foreach (var item in JsonSerializer.Deserialize<List<FailedItemInfo>>(miniBatch.Error) ?? [])
                    {
                        CsvRowWriter.WriteRow(writer, [item.Item, miniBatch.Index, miniBatch.Attempts, item.ErrorType, item.Message]);
                        count++;
                    }
                }
            }
        }

        await upload.CommitAsync(cancellationToken);
        return count;
    }

    /// <summary>After a cancel or a stop on an error budget: every item whose mini-batch was not committed, so it can be run again.</summary>
    public async Task<long> WriteUnscoredItemsAsync(JobStore jobs, string workspace, string job, CancellationToken cancellationToken)
    {
        await using var upload = await store.BeginWriteAsync($"{Folder}/unscored_items.csv", overwrite: true, cancellationToken);
        long count = 0;
        await using (var writer = new StreamWriter(upload.Content, new UTF8Encoding(false), 64 * 1024, leaveOpen: true))
        {
            CsvRowWriter.WriteRow(writer, ["input", "mini_batch"]);
            var after = -1;
            while (true)
            {
                var page = await jobs.UnfinishedAsync(workspace, job, after, 1000, cancellationToken);
                if (page.Count == 0)
                {
                    break;
                }

                foreach (var miniBatch in page)
                {
                    after = miniBatch.Index;
                    foreach (var item in JobPlanner.Items(miniBatch))
                    {
                        CsvRowWriter.WriteRow(writer, [item.Describe(), miniBatch.Index]);
                        count++;
                    }
                }
            }
        }

        await upload.CommitAsync(cancellationToken);
        return count;
    }

    private async Task WriteAsync(string name, string text, CancellationToken cancellationToken)
    {
        await using var content = new MemoryStream(Encoding.UTF8.GetBytes(text));
        await store.WriteAsync($"{Folder}/{name}", content, overwrite: true, cancellationToken);
    }
}
