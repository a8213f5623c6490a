using System.Text.Json;
using Sluice.Cluster.Workers;
using Sluice.Core.Jobs;
using Sluice.Core.Specs;
using Sluice.Data.Datastores;
using Sluice.Data.Store;

namespace Sluice.Cluster.Jobs;

/// <summary>
/// Lists a job's input and splits it into mini-batches, in input order, straight into the store in pages: the listing
/// is never held whole in memory, whatever the number of files. With <c>mini_batch_size</c> in files (Azure ML's
/// meaning) a mini-batch is that many files. In bytes or rows, small files are packed together and large CSV / JSON
/// Lines files are cut at line boundaries into slices, found by streaming through the file once — so one huge file
/// never becomes one huge mini-batch.
/// </summary>
public static class JobPlanner
{
    private const int PageSize = 500;
    private const int ScanBuffer = 1 << 20;

    public static async Task<(int MiniBatches, long Items)> PlanAsync(JobStore store, string workspace, string job, IDatastoreClient input, JobInputBinding binding, MiniBatchSize size, CancellationToken cancellationToken)
    {
        var plan = new Plan(store, workspace, job, size, cancellationToken);
        await foreach (var file in ListAsync(input, binding, cancellationToken))
        {
            if (size.IsFiles)
            {
                await plan.AddAsync(new MiniBatchItem(file.Path), 1);
            }
            else if (IsLineBased(file.Path))
            {
                await SliceAsync(plan, input, file, size, cancellationToken);
            }
            else
            {
                // Not splittable (Parquet, images…): packed whole, weighing its size, or one row.
                await plan.AddAsync(new MiniBatchItem(file.Path), size.Unit == MiniBatchUnit.Bytes ? file.Length : 1);
            }
        }

        return await plan.CompleteAsync();
    }

    public static IReadOnlyList<MiniBatchItem> Items(MiniBatchRecord record) =>
        JsonSerializer.Deserialize<List<MiniBatchItem>>(record.FilesJson) ?? [];

    private static bool IsLineBased(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".csv" or ".jsonl" or ".ndjson";

    /// <summary>Streams through a line-based file once, cutting a slice whenever the current mini-batch is full.</summary>
    private static async Task SliceAsync(Plan plan, IDatastoreClient input, DatastoreItem file, MiniBatchSize size, CancellationToken cancellationToken)
    {
        if (size.Unit == MiniBatchUnit.Bytes && file.Length <= plan.Remaining)
        {
            await plan.AddAsync(new MiniBatchItem(file.Path), file.Length);
            return;
        }

        await using var stream = await input.OpenReadAsync(file.Path, cancellationToken);
        var buffer = new byte[ScanBuffer];
        var isCsv = Path.GetExtension(file.Path).Equals(".csv", StringComparison.OrdinalIgnoreCase);
        long position = 0;
        long headerLength = 0;
        long sliceStart = 0;
        long rowsInSlice = 0;
        long firstRow = 0;
        var lineHasContent = false;
        var inHeader = isCsv;
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            var offset = 0;
            while (offset < read)
            {
                // The span is made anew after each await: spans cannot live across one.
                var newline = buffer.AsSpan(offset, read - offset).IndexOf((byte)'\n');
                if (newline < 0)
                {
                    lineHasContent = true;
                    break;
                }

                var lineEnd = position + offset + newline + 1;
                offset += newline + 1;
                lineHasContent = false;
                if (inHeader)
                {
                    inHeader = false;
                    headerLength = lineEnd;
                    sliceStart = lineEnd;
                    continue;
                }

                rowsInSlice++;
                var used = size.Unit == MiniBatchUnit.Rows ? rowsInSlice : lineEnd - sliceStart;
                if (used >= plan.Remaining)
                {
                    await plan.AddAsync(new MiniBatchItem(file.Path, sliceStart, lineEnd, headerLength, firstRow, rowsInSlice), used);
                    firstRow += rowsInSlice;
                    rowsInSlice = 0;
                    sliceStart = lineEnd;
                }
            }

            position += read;
        }

        if (lineHasContent)
        {
            rowsInSlice++; // a last line without a newline
        }

        if (position > sliceStart && rowsInSlice > 0)
        {
            var used = size.Unit == MiniBatchUnit.Rows ? rowsInSlice : position - sliceStart;
            await plan.AddAsync(new MiniBatchItem(file.Path, sliceStart, position, headerLength, firstRow, rowsInSlice), used);
        }
        else if (firstRow == 0)
        {
            // No data rows at all (a header alone): still an input, scored whole.
            await plan.AddAsync(new MiniBatchItem(file.Path), 0);
        }
    }

    private static async IAsyncEnumerable<DatastoreItem> ListAsync(IDatastoreClient input, JobInputBinding binding, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (binding.Type == IoType.UriFile)
        {
            yield return await input.GetItemAsync(binding.Path, cancellationToken) ?? throw new FileNotFoundException($"the input file {binding.Uri} no longer exists");
            yield break;
        }

        await foreach (var item in input.ListFilesAsync(binding.Path, binding.Recursive, cancellationToken))
        {
            yield return item;
        }
    }

    /// <summary>Mini-batches being filled, written to the store a page at a time.</summary>
    private sealed class Plan(JobStore store, string workspace, string job, MiniBatchSize size, CancellationToken cancellationToken)
    {
        private readonly List<MiniBatchRecord> _page = new(PageSize);
        private readonly List<MiniBatchItem> _items = [];
        private long _used;
        private int _index;
        private long _total;

        /// <summary>What the current mini-batch can still take, in the size's unit.</summary>
        public long Remaining => size.Value - _used;

        public async Task AddAsync(MiniBatchItem item, long weight)
        {
            _items.Add(item);
            _used += weight;
            _total++;
            if (_used >= size.Value)
            {
                await CloseAsync();
            }
        }

        public async Task<(int, long)> CompleteAsync()
        {
            if (_items.Count > 0)
            {
                await CloseAsync();
            }

            await FlushAsync();
            return (_index, _total);
        }

        private async Task CloseAsync()
        {
            _page.Add(new MiniBatchRecord
            {
                Workspace = workspace,
                Job = job,
                Index = _index++,
                FilesJson = JsonSerializer.Serialize(_items),
                ItemCount = _items.Count,
                Status = MiniBatchStatuses.Pending,
            });
            _items.Clear();
            _used = 0;
            if (_page.Count == PageSize)
            {
                await FlushAsync();
            }
        }

        private async Task FlushAsync()
        {
            if (_page.Count > 0)
            {
                await store.AddMiniBatchesAsync(_page, cancellationToken);
                _page.Clear();
            }
        }
    }
}
