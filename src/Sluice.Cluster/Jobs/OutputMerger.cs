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
        await using var reader = new PartReader(staging);
        await foreach (var (miniBatch, part) in PartsAsync(store, workspace, job, staging, jobFolder, cancellationToken))
        {
            await using var stream = await reader.OpenAsync(part, cancellationToken);
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
        await using var reader = new PartReader(staging);
        await foreach (var (miniBatch, part) in PartsAsync(store, workspace, job, staging, jobFolder, cancellationToken))
        {
            await using var stream = await reader.OpenAsync(part, cancellationToken);
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

            await using var writing = new PartReader(staging);
            await foreach (var (_, part) in PartsAsync(store, workspace, job, staging, jobFolder, cancellationToken))
            {
                await using var stream = await writing.OpenAsync(part, cancellationToken);
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

    /// <summary>Where a mini-batch's committed rows are: a whole part file, or a byte range of a group's file.</summary>
    private sealed record PartRef(string Path, long Offset, long Length, bool Whole);

    /// <summary>
    /// Committed parts in mini-batch order (failed mini-batches, or ones whose items all failed, have none). A
    /// mini-batch run in a group names its group's file and range; one run alone has its own file, named by its index.
    /// </summary>
    private static async IAsyncEnumerable<(MiniBatchRecord MiniBatch, PartRef Part)> PartsAsync(JobStore store, string workspace, string job, IDatastoreClient staging, string jobFolder, [EnumeratorCancellation] CancellationToken cancellationToken)
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
                if (miniBatch.Status != MiniBatchStatuses.Succeeded)
                {
                    continue;
                }

                if (miniBatch.Part is { } group)
                {
                    yield return (miniBatch, new PartRef($"{StagingPaths.Folder(jobFolder)}/{group}", miniBatch.PartOffset, miniBatch.PartLength, false));
                }
                else if (await staging.GetItemAsync(StagingPaths.Part(jobFolder, miniBatch.Index), cancellationToken) is { } part)
                {
                    yield return (miniBatch, new PartRef(part.Path, 0, part.Length, true));
                }
            }
        }
    }

    /// <summary>
    /// Opens parts for reading. A group's file stays open while its ranges are read one after another (a million
    /// mini-batches in groups are then some 16,000 files opened, not a million).
    /// </summary>
    private sealed class PartReader(IDatastoreClient staging) : IAsyncDisposable
    {
        private string? _groupPath;
        private Stream? _group;
        private RangeStream? _last;
        private long _lastOffset;

        public async Task<Stream> OpenAsync(PartRef part, CancellationToken cancellationToken)
        {
            if (part.Whole)
            {
                return await staging.OpenReadAsync(part.Path, cancellationToken);
            }

            // Where the group's stream is: after what the last range's reader consumed (a header alone, or all of it).
            var position = _last is null ? 0 : _lastOffset + _last.Position;
            if (_group is null || _groupPath != part.Path || (position > part.Offset && !_group.CanSeek))
            {
                await DisposeAsync();
                _group = await staging.OpenReadAsync(part.Path, cancellationToken);
                _groupPath = part.Path;
                position = 0;
            }

            if (position != part.Offset)
            {
                if (_group.CanSeek)
                {
                    _group.Position = part.Offset;
                }
                else
                {
                    await SkipAsync(_group, part.Offset - position, cancellationToken);
                }
            }

            _lastOffset = part.Offset;
            _last = new RangeStream(_group, part.Length);
            return _last;
        }

        private static async Task SkipAsync(Stream stream, long count, CancellationToken cancellationToken)
        {
            var buffer = new byte[(int)Math.Min(count, 64 * 1024)];
            while (count > 0)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)), cancellationToken);
                if (read == 0)
                {
                    throw new InvalidDataException("a group staging file is shorter than its mini-batches' records say");
                }

                count -= read;
            }
        }

        public async ValueTask DisposeAsync()
        {
            _last = null;
            if (_group is not null)
            {
                await _group.DisposeAsync();
                _group = null;
            }
        }
    }

    /// <summary>The next <c>length</c> bytes of a stream, read without closing it.</summary>
    private sealed class RangeStream(Stream inner, long length) : Stream
    {
        private readonly long _length = length;
        private long _left = length;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => _length;

        public override long Position
        {
            get => _length - _left;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var read = _left == 0 ? 0 : inner.Read(buffer[..(int)Math.Min(buffer.Length, _left)]);
            _left -= read;
            return read;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = _left == 0 ? 0 : await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _left)], cancellationToken);
            _left -= read;
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>The length, rows and parts the merged CSV has: one header plus every part without its header.</summary>
    private static async Task<(long Length, long Rows, int Parts)> ExpectedAsync(JobStore store, string workspace, string job, IDatastoreClient staging, string jobFolder, CancellationToken cancellationToken)
    {
        long length = 0, rows = 0;
        var parts = 0;
        await using var reader = new PartReader(staging);
        await foreach (var (miniBatch, part) in PartsAsync(store, workspace, job, staging, jobFolder, cancellationToken))
        {
            await using var stream = await reader.OpenAsync(part, cancellationToken);
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
