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

    /// <param name="mayExist">
    /// The job is finalising again after a restart: an output file of exactly the length the committed parts make was
    /// published by the previous run and is kept as it is.
    /// </param>
    public static async Task<MergeResult> MergeAsync(JobStore store, string workspace, string job, IDatastoreClient staging, string jobFolder, IDatastoreClient output, string outputPath, bool mayExist, CancellationToken cancellationToken)
    {
        if (mayExist && await output.GetItemAsync(outputPath, cancellationToken) is { IsFolder: false } existing)
        {
            var (length, rowCount, partCount) = await ExpectedAsync(store, workspace, job, staging, jobFolder, cancellationToken);
            if (existing.Length == length)
            {
                return new MergeResult(rowCount, partCount);
            }
        }

        await using var upload = await output.BeginWriteAsync(outputPath, overwrite: false, cancellationToken);
        long rows = 0;
        var parts = 0;
        byte[]? header = null;
        var buffer = new byte[256 * 1024];
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
                var partHeader = await ReadLineAsync(part, cancellationToken);
                if (header is null)
                {
                    header = partHeader;
                    await upload.Content.WriteAsync(header, cancellationToken);
                }
                else if (!header.AsSpan().SequenceEqual(partHeader))
                {
                    throw new InvalidDataException($"mini-batch {miniBatch.Index} has columns ({Encoding.UTF8.GetString(partHeader).TrimEnd()}) but earlier mini-batches have ({Encoding.UTF8.GetString(header).TrimEnd()}); a scorer must return the same columns for every mini-batch");
                }

                // Rows were written by Sluice's CSV writer, one per '\n': copy the bytes as they are.
                int read;
                while ((read = await part.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    rows += buffer.AsSpan(0, read).Count((byte)'\n');
                    await upload.Content.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }

                parts++;
            }
        }

        await upload.CommitAsync(cancellationToken);
        return new MergeResult(rows, parts);
    }

    /// <summary>The length, rows and parts the merged output has: one header plus every part without its header.</summary>
    private static async Task<(long Length, long Rows, int Parts)> ExpectedAsync(JobStore store, string workspace, string job, IDatastoreClient staging, string jobFolder, CancellationToken cancellationToken)
    {
        long length = 0, rows = 0;
        var parts = 0;
        var after = -1;
        while (true)
        {
            var page = await store.FinishedAsync(workspace, job, after, 1000, cancellationToken);
            if (page.Count == 0)
            {
                return (length, rows, parts);
            }

            foreach (var miniBatch in page)
            {
                after = miniBatch.Index;
                if (miniBatch.Status != MiniBatchStatuses.Succeeded || await staging.GetItemAsync(StagingPaths.Part(jobFolder, miniBatch.Index), cancellationToken) is not { } part)
                {
                    continue;
                }

                await using var stream = await staging.OpenReadAsync(part.Path, cancellationToken);
                var header = (await ReadLineAsync(stream, cancellationToken)).Length;
                length += parts == 0 ? part.Length : part.Length - header;
                rows += miniBatch.RowCount;
                parts++;
            }
        }
    }

    /// <summary>Reads the header line, including its '\n', byte by byte (it is short).</summary>
    private static async Task<byte[]> ReadLineAsync(Stream stream, CancellationToken cancellationToken)
    {
        var line = new List<byte>(256);
        var one = new byte[1];
        while (await stream.ReadAsync(one, cancellationToken) == 1)
        {
            line.Add(one[0]);
            if (one[0] == (byte)'\n')
            {
                break;
            }
        }

        return [.. line];
    }
}
