using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Parquet;
using Sluice.Cluster.Workers;
using Sluice.Data.Datastores;
using Sluice.Data.Store;
using Sluice.Scoring.Output;

namespace Sluice.Cluster.Jobs;

/// <summary>
/// Builds the final <c>append_row</c> file from the committed mini-batch parts, in mini-batch order — hence input
/// order — and publishes it atomically: the output file is whole or absent, and never overwrites an existing one.
/// CSV parts are copied byte for byte; JSON Lines and Parquet outputs (chosen by the file name) are converted, with
/// column types inferred from the values.
/// </summary>
public static class OutputMerger
{
    public sealed record MergeResult(long Rows, int Parts);

    /// <param name="mayExist">
    /// The job is finalising again after a restart: an output file of exactly the length the committed parts make was
    /// published by the previous run and is kept as it is (CSV); for converted formats an existing file is kept.
    /// </param>
    public static async Task<MergeResult> MergeAsync(JobStore store, string workspace, string job, IDatastoreClient staging, string jobFolder, IDatastoreClient output, string outputPath, bool mayExist, CancellationToken cancellationToken)
    {
        var format = OutputFileFormats.FromFileName(outputPath);
        if (mayExist && await output.GetItemAsync(outputPath, cancellationToken) is { IsFolder: false } existing)
        {
            var (length, rowCount, partCount) = await ExpectedAsync(store, workspace, job, staging, jobFolder, cancellationToken);
            if (format != OutputFileFormat.Csv || existing.Length == length)
            {
                return new MergeResult(rowCount, partCount);
            }
        }

        await using var upload = await output.BeginWriteAsync(outputPath, overwrite: false, cancellationToken);
        var result = format switch
        {
            OutputFileFormat.Csv => await CopyCsvAsync(store, workspace, job, staging, jobFolder, upload.Content, cancellationToken),
            _ => await ConvertAsync(format, store, workspace, job, staging, jobFolder, upload.Content, cancellationToken),
        };
        await upload.CommitAsync(cancellationToken);
        return result;
    }

    private static async Task<MergeResult> CopyCsvAsync(JobStore store, string workspace, string job, IDatastoreClient staging, string jobFolder, Stream destination, CancellationToken cancellationToken)
    {
        long rows = 0;
        var parts = 0;
        byte[]? header = null;
        var buffer = new byte[256 * 1024];
        await foreach (var (miniBatch, part) in PartsAsync(store, workspace, job, staging, jobFolder, cancellationToken))
        {
            await using var stream = await staging.OpenReadAsync(part.Path, cancellationToken);
            var partHeader = await ReadLineAsync(stream, cancellationToken);
            if (header is null)
            {
                header = partHeader;
                await destination.WriteAsync(header, cancellationToken);
            }
            else if (!header.AsSpan().SequenceEqual(partHeader))
            {
                throw Mismatch(miniBatch, Encoding.UTF8.GetString(partHeader).TrimEnd(), Encoding.UTF8.GetString(header).TrimEnd());
            }

            // Rows were written by Sluice's CSV writer, one per '\n': copy the bytes as they are.
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
            {
                rows += buffer.AsSpan(0, read).Count((byte)'\n');
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }

            parts++;
        }

        return new MergeResult(rows, parts);
    }

    /// <summary>Two passes over the parts: the first infers each column's type, the second writes.</summary>
    private static async Task<MergeResult> ConvertAsync(OutputFileFormat format, JobStore store, string workspace, string job, IDatastoreClient staging, string jobFolder, Stream destination, CancellationToken cancellationToken)
    {
        List<string>? columns = null;
        ColumnType[] types = [];
        await foreach (var (miniBatch, part) in PartsAsync(store, workspace, job, staging, jobFolder, cancellationToken))
        {
            await using var stream = await staging.OpenReadAsync(part.Path, cancellationToken);
            var records = new CsvRecordReader(new StreamReader(stream, Encoding.UTF8));
            var header = records.Read() ?? [];
            if (columns is null)
            {
                columns = header;
                types = new ColumnType[header.Count];
            }
            else if (!columns.SequenceEqual(header))
            {
                throw Mismatch(miniBatch, string.Join(',', header), string.Join(',', columns));
            }

            while (records.Read() is { } record)
            {
                for (var i = 0; i < types.Length && i < record.Count; i++)
                {
                    types[i] = TypedOutputWriter.Widen(types[i], record[i]);
                }
            }
        }

        columns ??= [];
        long rows = 0;
        var parts = 0;
        ParquetWriter? parquet = null;
        var schema = TypedOutputWriter.Schema(columns, types);
        await using var json = new Utf8JsonWriter(destination);
        try
        {
            if (format == OutputFileFormat.Parquet)
            {
                parquet = await ParquetWriter.CreateAsync(schema, destination, cancellationToken: cancellationToken);
            }

            await foreach (var (_, part) in PartsAsync(store, workspace, job, staging, jobFolder, cancellationToken))
            {
                await using var stream = await staging.OpenReadAsync(part.Path, cancellationToken);
                var records = new CsvRecordReader(new StreamReader(stream, Encoding.UTF8));
                records.Read();
                var group = new List<List<string>>();
                while (records.Read() is { } record)
                {
                    if (parquet is null)
                    {
                        TypedOutputWriter.WriteJsonLine(json, columns, types, record);
                        destination.WriteByte((byte)'\n');
                    }
                    else
                    {
                        group.Add(record);
                    }

                    rows++;
                }

                if (parquet is not null && group.Count > 0)
                {
                    await TypedOutputWriter.WriteRowGroupAsync(parquet, schema, types, group, cancellationToken);
                }

                parts++;
            }
        }
        finally
        {
            if (parquet is not null)
            {
                await parquet.DisposeAsync();
            }
        }

        return new MergeResult(rows, parts);
    }

    /// <summary>Committed parts in mini-batch order (failed mini-batches, or ones whose items all failed, have none).</summary>
    private static async IAsyncEnumerable<(MiniBatchRecord MiniBatch, DatastoreItem Part)> PartsAsync(JobStore store, string workspace, string job, IDatastoreClient staging, string jobFolder, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var after = -1;
        while (true)
        {
            var page = await store.FinishedAsync(workspace, job, after, 1000, cancellationToken);
            if (page.Count == 0)
            {
                yield break;
            }

            foreach (var miniBatch in page)
            {
                after = miniBatch.Index;
                if (miniBatch.Status == MiniBatchStatuses.Succeeded && await staging.GetItemAsync(StagingPaths.Part(jobFolder, miniBatch.Index), cancellationToken) is { } part)
                {
                    yield return (miniBatch, part);
                }
            }
        }
    }

    /// <summary>The length, rows and parts the merged CSV has: one header plus every part without its header.</summary>
    private static async Task<(long Length, long Rows, int Parts)> ExpectedAsync(JobStore store, string workspace, string job, IDatastoreClient staging, string jobFolder, CancellationToken cancellationToken)
    {
        long length = 0, rows = 0;
        var parts = 0;
        await foreach (var (miniBatch, part) in PartsAsync(store, workspace, job, staging, jobFolder, cancellationToken))
        {
            await using var stream = await staging.OpenReadAsync(part.Path, cancellationToken);
            var header = (await ReadLineAsync(stream, cancellationToken)).Length;
            length += parts == 0 ? part.Length : part.Length - header;
            rows += miniBatch.RowCount;
            parts++;
        }

        return (length, rows, parts);
    }

    private static InvalidDataException Mismatch(MiniBatchRecord miniBatch, string columns, string earlier) =>
        new($"mini-batch {miniBatch.Index} has columns ({columns}) but earlier mini-batches have ({earlier}); a scorer must return the same columns for every mini-batch");

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
