using System.Globalization;
using Sluice.Data.Datastores;
using Sluice.Data.Tests.TestSupport;

namespace Sluice.Data.Tests.Datastores;

public sealed class LocalDatastoreListingTests
{
    [Fact]
    public async Task ListFiles_Recursive_ComesInOrdinalOrderOfTheFullPath()
    {
        using var folder = new TempFolder();
        var data = folder.Combine("data");
        string[] files = ["a0.txt", "a/x.txt", "a/b/c.txt", "a-b.txt", "B.txt", "b.txt", "z/é.txt", "z/e.txt", "Z.txt", "a/y/.hidden", "a/.w.txt.0123.partial"];
        foreach (var file in files)
        {
            Write(Path.Combine(data, file), file);
        }

        var listed = await ListAsync(new LocalDatastoreClient(data), string.Empty, recursive: true);

        // The partial file of an unfinished write is not content; every other file is, in ordinal path order.
        string[] expected = ["B.txt", "Z.txt", "a-b.txt", "a/b/c.txt", "a/x.txt", "a/y/.hidden", "a0.txt", "b.txt", "z/e.txt", "z/é.txt"];
        Assert.Equal(expected, listed.Select(i => i.Path));
        Assert.All(listed, i => Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(i.Path), i.Length));
    }

    [Fact]
    public async Task ListFiles_TopLevelOnly_ListsNoSubfolder()
    {
        using var folder = new TempFolder();
        var data = folder.Combine("data");
        Write(Path.Combine(data, "in", "b.csv"), "x");
        Write(Path.Combine(data, "in", "a.csv"), "x");
        Write(Path.Combine(data, "in", "deeper", "c.csv"), "x");

        var listed = await ListAsync(new LocalDatastoreClient(data), "in", recursive: false);

        Assert.Equal(["in/a.csv", "in/b.csv"], listed.Select(i => i.Path));
    }

    [Fact]
    public async Task ListFiles_BeyondTheMemoryLimit_MergesSortedRunsFromDisk_InTheSameOrder()
    {
        using var folder = new TempFolder();
        var data = folder.Combine("data");
        var spill = folder.Combine("spill");
        var random = new Random(7);
        var names = new List<string>();
        for (var i = 0; i < 2_500; i++)
        {
            // Several folders, and names whose numeric order is not their ordinal order.
            var name = $"{(char)('a' + random.Next(5))}/{random.Next(100_000).ToString(CultureInfo.InvariantCulture)}-{i}.txt";
            names.Add(name);
            Write(Path.Combine(data, name), string.Empty);
        }

        // 2,500 files with at most 100 in memory: 25 runs, merged 4 at a time in passes.
        var client = new LocalDatastoreClient(data, new ListingSortOptions { MemoryLimit = 100, TemporaryFolder = spill, MergeFanIn = 4 });
        var spilled = false;
        var listed = new List<string>();
        await foreach (var item in client.ListFilesAsync(string.Empty, recursive: true, TestContext.Current.CancellationToken))
        {
            spilled |= Directory.EnumerateFiles(spill, "*", SearchOption.AllDirectories).Any();
            listed.Add(item.Path);
        }

        Assert.True(spilled, "a listing over the memory limit writes sorted runs to the temporary folder");
        Assert.Equal(names.Order(StringComparer.Ordinal), listed);
        Assert.InRange(client.ListingPeakInMemory, 1, 100);
        Assert.Empty(Directory.EnumerateFileSystemEntries(spill));
    }

    [Fact]
    public async Task ListFiles_AbandonedMidway_RemovesItsTemporaryRuns()
    {
        using var folder = new TempFolder();
        var data = folder.Combine("data");
        var spill = folder.Combine("spill");
        for (var i = 0; i < 300; i++)
        {
            Write(Path.Combine(data, $"f{i:D4}.txt"), string.Empty);
        }

        var client = new LocalDatastoreClient(data, new ListingSortOptions { MemoryLimit = 50, TemporaryFolder = spill });
        var first = new List<string>();
        await foreach (var item in client.ListFilesAsync(string.Empty, recursive: false, TestContext.Current.CancellationToken))
        {
            first.Add(item.Path);
            if (first.Count == 10)
            {
                break;
            }
        }

        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"f{i:D4}.txt"), first);
        Assert.Empty(Directory.EnumerateFileSystemEntries(spill));
    }

    [Fact]
    public async Task ListFiles_MissingFolder_ListsNothing()
    {
        using var folder = new TempFolder();

        var listed = await ListAsync(new LocalDatastoreClient(folder.Path), "nowhere", recursive: true);

        Assert.Empty(listed);
    }

    private static void Write(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    private static async Task<List<DatastoreItem>> ListAsync(LocalDatastoreClient client, string folder, bool recursive)
    {
        var items = new List<DatastoreItem>();
        await foreach (var item in client.ListFilesAsync(folder, recursive, TestContext.Current.CancellationToken))
        {
            items.Add(item);
        }

        return items;
    }
}
