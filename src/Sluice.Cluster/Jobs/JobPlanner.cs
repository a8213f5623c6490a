using System.Text.Json;
using Sluice.Core.Jobs;
using Sluice.Core.Specs;
using Sluice.Data.Datastores;
using Sluice.Data.Store;

namespace Sluice.Cluster.Jobs;

/// <summary>
/// Lists a job's input and splits it into mini-batches of <c>mini_batch_size</c> files, in input order, straight into
/// the store in pages: the listing is never held whole in memory, whatever the number of files.
/// </summary>
public static class JobPlanner
{
    private const int PageSize = 500;

    public static async Task<(int MiniBatches, long Items)> PlanAsync(JobStore store, string workspace, string job, IDatastoreClient input, JobInputBinding binding, int miniBatchSize, CancellationToken cancellationToken)
    {
        var page = new List<MiniBatchRecord>(PageSize);
        var files = new List<string>(miniBatchSize);
        var index = 0;
        long items = 0;

        async Task FlushAsync()
        {
            if (page.Count > 0)
            {
                await store.AddMiniBatchesAsync(page, cancellationToken);
                page.Clear();
            }
        }

        void Close()
        {
            page.Add(new MiniBatchRecord
            {
                Workspace = workspace,
                Job = job,
                Index = index++,
                FilesJson = JsonSerializer.Serialize(files),
                ItemCount = files.Count,
                Status = MiniBatchStatuses.Pending,
            });
            files.Clear();
        }

        await foreach (var path in ListAsync(input, binding, cancellationToken))
        {
            files.Add(path);
            items++;
            if (files.Count == miniBatchSize)
            {
                Close();
                if (page.Count == PageSize)
                {
                    await FlushAsync();
                }
            }
        }

        if (files.Count > 0)
        {
            Close();
        }

        await FlushAsync();
        return (index, items);
    }

    private static async IAsyncEnumerable<string> ListAsync(IDatastoreClient input, JobInputBinding binding, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (binding.Type == IoType.UriFile)
        {
            yield return binding.Path;
            yield break;
        }

        await foreach (var item in input.ListFilesAsync(binding.Path, binding.Recursive, cancellationToken))
        {
            yield return item.Path;
        }
    }

    public static IReadOnlyList<string> Files(MiniBatchRecord record) =>
        JsonSerializer.Deserialize<List<string>>(record.FilesJson) ?? [];
}
