using System.Text;
using Sluice.Cluster.Workers;
using Sluice.Data.Datastores;
using Sluice.Data.Store;

namespace Sluice.Cluster.Jobs;

/// <summary>
/// Builds the final <c>append_row</c> file from the committed mini-batch parts, in mini-batch order — hence input
/// order — and publishes it atomically: the output file is whole or absent, and never overwrites an existing one.
/// </summary>
public static class OutputMerger
{
    public sealed record MergeResult(long Rows, int Parts);

    public static async Task<MergeResult> MergeAsync(JobStore store, string workspace, string job, IDatastoreClient staging, string jobFolder, IDatastoreClient output, string outputPath, CancellationToken cancellationToken)
    {
        await using var upload = await output.BeginWriteAsync(outputPath, overwrite: false, cancellationToken);
        long rows = 0;
        var parts = 0;
        string? header = null;
        await using (var writer = new StreamWriter(upload.Content, new UTF8Encoding(false), 256 * 1024, leaveOpen: true))
        {
            var after = -1;
            while (true)
            {
                var page = await store.FinishedAsync(workspace, job, after, 1000, cancellationToken);
                if (page.Count == 0)
                {
                    break;
                }

                foreach (var miniBatch in page)
                {
                    after = miniBatch.Index;
                    var partPath = StagingPaths.Part(jobFolder, miniBatch.Index);
                    if (miniBatch.Status != MiniBatchStatuses.Succeeded || await staging.GetItemAsync(partPath, cancellationToken) is null)
                    {
                        continue; // failed mini-batches, or ones whose files all failed, have no rows
                    }

                    await using var part = await staging.OpenReadAsync(partPath, cancellationToken);
                    using var reader = new StreamReader(part, Encoding.UTF8);
                    var partHeader = await reader.ReadLineAsync(cancellationToken);
                    if (header is null)
                    {
                        header = partHeader;
                        await writer.WriteAsync(header.AsMemory(), cancellationToken);
                        await writer.WriteAsync('\n');
                    }
                    else if (!string.Equals(header, partHeader, StringComparison.Ordinal))
                    {
                        throw new InvalidDataException($"mini-batch {miniBatch.Index} has columns ({partHeader}) but earlier mini-batches have ({header}); a scorer must return the same columns for every mini-batch");
                    }

                    // Copy the rest verbatim; rows were written by Sluice's CSV writer and end with '\n'.
                    var buffer = new char[64 * 1024];
                    int read;
                    while ((read = await reader.ReadAsync(buffer, cancellationToken)) > 0)
                    {
                        rows += buffer.AsSpan(0, read).Count('\n');
                        await writer.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    }

                    parts++;
                }
            }
        }

        await upload.CommitAsync(cancellationToken);
        return new MergeResult(rows, parts);
    }
}
