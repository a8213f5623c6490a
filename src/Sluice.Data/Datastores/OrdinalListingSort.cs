using System.Runtime.CompilerServices;
using System.Text;

namespace Sluice.Data.Datastores;

/// <summary>How a local listing is put in path order: the most items held in memory at once, and where runs spill.</summary>
public sealed record ListingSortOptions
{
    /// <summary>Items sorted in memory at most (100,000 by default, some 20 MB); beyond that sorted runs go to temporary files.</summary>
    public int MemoryLimit { get; init; } = 100_000;

    /// <summary>The folder for temporary run files; the system's temporary folder by default.</summary>
    public string? TemporaryFolder { get; init; }

    /// <summary>Runs merged at once; more are merged in passes, so open files and heads in memory stay bounded.</summary>
    public int MergeFanIn { get; init; } = 64;
}

/// <summary>
/// Puts datastore items in ordinal path order with bounded memory: up to <see cref="ListingSortOptions.MemoryLimit"/>
/// items are sorted in memory; a larger listing is cut into sorted runs written to temporary files, which are then
/// merged (an external merge sort), holding one item per run. <see cref="PeakInMemory"/> records the most items held
/// at once, so callers (and tests) can see the bound kept. Temporary files are removed when the enumeration ends,
/// whether it ran to the end or was abandoned.
/// </summary>
public sealed class OrdinalListingSort(ListingSortOptions options)
{
    private long _peak;

    /// <summary>The most items this sorter has held in memory at once, over every sort it ran.</summary>
    public long PeakInMemory => Interlocked.Read(ref _peak);

    public async IAsyncEnumerable<DatastoreItem> SortAsync(IEnumerable<DatastoreItem> items, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var limit = Math.Max(1, options.MemoryLimit);
        var chunk = new List<DatastoreItem>(Math.Min(limit, 4096));
        var runs = new List<string>();
        string? folder = null;
        try
        {
            foreach (var item in items)
            {
                if (chunk.Count == limit)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    folder ??= CreateFolder();
                    runs.Add(await WriteRunAsync(folder, runs.Count, chunk, cancellationToken));
                    chunk.Clear();
                }

                chunk.Add(item);
                Observe(chunk.Count);
            }

            chunk.Sort(ByPath.Instance);
            if (runs.Count == 0)
            {
                foreach (var item in chunk)
                {
                    yield return item;
                }

                yield break;
            }

            if (chunk.Count > 0)
            {
                runs.Add(await WriteRunAsync(folder!, runs.Count, chunk, cancellationToken));
                chunk.Clear();
            }

            chunk.TrimExcess();
            var fanIn = Math.Max(2, options.MergeFanIn);
            var next = runs.Count;
            while (runs.Count > fanIn)
            {
                // A pass: the first runs merge into one longer run at the end of the list.
                var group = runs.GetRange(0, fanIn);
                runs.RemoveRange(0, fanIn);
                var merged = Path.Combine(folder!, $"run-{next++:D6}");
                await using (var output = new RunWriter(merged))
                {
                    await foreach (var item in MergeAsync(group, cancellationToken))
                    {
                        output.Write(item);
                    }
                }

                group.ForEach(File.Delete);
                runs.Add(merged);
            }

            await foreach (var item in MergeAsync(runs, cancellationToken))
            {
                yield return item;
            }
        }
        finally
        {
            if (folder is not null && Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private string CreateFolder()
    {
        var parent = options.TemporaryFolder ?? Path.GetTempPath();
        Directory.CreateDirectory(parent);
        var folder = Path.Combine(parent, $"sluice-listing-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        return folder;
    }

    private void Observe(long held)
    {
        var peak = Interlocked.Read(ref _peak);
        while (held > peak)
        {
            var seen = Interlocked.CompareExchange(ref _peak, held, peak);
            if (seen == peak)
            {
                return;
            }

            peak = seen;
        }
    }

    private static async Task<string> WriteRunAsync(string folder, int number, List<DatastoreItem> chunk, CancellationToken cancellationToken)
    {
        chunk.Sort(ByPath.Instance);
        var path = Path.Combine(folder, $"run-{number:D6}");
        await using var output = new RunWriter(path);
        foreach (var item in chunk)
        {
            output.Write(item);
        }

        cancellationToken.ThrowIfCancellationRequested();
        return path;
    }

    /// <summary>A k-way merge of sorted runs, one head item per run in memory.</summary>
    private async IAsyncEnumerable<DatastoreItem> MergeAsync(List<string> runs, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var readers = new List<RunReader>(runs.Count);
        try
        {
            // Opened inside the try: when one cannot be opened (too many open files), those already open are closed.
            foreach (var run in runs)
            {
                readers.Add(new RunReader(run));
            }

            var heads = new PriorityQueue<RunReader, DatastoreItem>(readers.Count, ByPath.Instance);
            foreach (var reader in readers)
            {
                if (reader.Next() is { } first)
                {
                    heads.Enqueue(reader, first);
                }
            }

            Observe(heads.Count);
            var yielded = 0;
            while (heads.TryDequeue(out var reader, out var item))
            {
                if (reader.Next() is { } following)
                {
                    heads.Enqueue(reader, following);
                }

                if (++yielded % 4096 == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    await Task.Yield();
                }

                yield return item;
            }
        }
        finally
        {
            foreach (var reader in readers)
            {
                reader.Dispose();
            }
        }
    }

    private sealed class ByPath : IComparer<DatastoreItem>
    {
        public static readonly ByPath Instance = new();

        public int Compare(DatastoreItem? x, DatastoreItem? y) => string.CompareOrdinal(x?.Path, y?.Path);
    }

    /// <summary>A run file: per item its path (length-prefixed UTF-8), length and last-modified ticks (UTC).</summary>
    private sealed class RunWriter(string path) : IAsyncDisposable
    {
        private readonly BinaryWriter _writer = new(new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16), Encoding.UTF8, leaveOpen: false);

        public void Write(DatastoreItem item)
        {
            _writer.Write(item.Path);
            _writer.Write(item.Length);
            _writer.Write(item.LastModified.UtcTicks);
        }

        public ValueTask DisposeAsync()
        {
            _writer.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    private sealed class RunReader(string path) : IDisposable
    {
        private readonly BinaryReader _reader = new(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan), Encoding.UTF8, leaveOpen: false);
        private readonly long _end = new FileInfo(path).Length;

        public DatastoreItem? Next()
        {
            if (_reader.BaseStream.Position >= _end)
            {
                return null;
            }

            var path = _reader.ReadString();
            var length = _reader.ReadInt64();
            var ticks = _reader.ReadInt64();
            return new DatastoreItem(path, false, length, new DateTimeOffset(ticks, TimeSpan.Zero));
        }

        public void Dispose() => _reader.Dispose();
    }
}
