using System.Globalization;
using System.Text;
using Sluice.IntegrationTests.Infrastructure;

namespace Sluice.IntegrationTests.Jobs;

/// <summary>
/// Memory bounds, measured on a server process: alone in their collection, because a machine busy with other tests
/// delays garbage collection and the peak then says more about the load than about the code.
/// </summary>
[Collection(MeasuredAlone.Name)]
public sealed class BoundedMemoryTests
{
    /// <summary>
    /// The server's managed heap limit for the 256 MB input: three quarters of it, for everything the server holds
    /// (the runtime, Orleans, the API and the store take some 50 MB of it before the job starts).
    /// </summary>
    private const long HeapLimit = 192L << 20;

    [Fact]
    public async Task LargeCsvSplitByBytes_IsScoredWithBoundedMemory_AndEveryRowOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        using var folder = new TempFolder("large-csv");
        var project = TabularProject.Create(folder, "large-ep", files: 1, rowsPerFile: 10);
        var big = Path.Combine(folder.Combine("large"), "big.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(big)!);
        var rows = WriteLargeCsv(big, targetBytes: 256L << 20);
        // The server's managed heap is capped well below the input's size: holding the input would fail the job with
        // an out-of-memory error rather than pass on a machine whose collector happened to run in time.
        var heapLimit = new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = $"0x{HeapLimit:X}" };
        await using var server = await ServerProcess.StartAsync(folder.Combine("server"), environment: heapLimit, cancellationToken: ct);
        var cli = new CliDriver(server.Url);
        await project.DeployAsync(cli);
        var data = (await cli.OkAsync("data", "create", "-n", "big", "--path", Path.GetDirectoryName(big)!)).Json();
        var baseline = server.Memory().Current;

        var (job, exit) = await Infrastructure.Jobs.RunAsync(cli, "-n", "large-ep", "--input", (string)data["path"]!, "--mini-batch-size", "8MB");

        var peak = server.Memory().Peak;
        TestContext.Current.TestOutputHelper?.WriteLine($"memory: baseline {baseline >> 20} MB, peak {peak >> 20} MB");
        Assert.True(exit == 0, $"{Infrastructure.Jobs.Reason(job)}\n{server.Log}");
        Assert.True(Infrastructure.Jobs.MiniBatches(job, "failed") == 0, $"a mini-batch failed under the heap limit: {job.ToJsonString()}\n{server.Log}");
        Assert.True(Infrastructure.Jobs.MiniBatches(job, "total") >= 32, "a 256 MB file in 8 MB mini-batches makes at least 32 of them");
        var output = Path.Combine(server.DataDirectory, "datastores", "default", "workspaceblobstore", "azureml", Infrastructure.Jobs.Name(job), "score", "predictions.csv");
        long count = 0;
        long expectedRow = 0;
        foreach (var line in File.ReadLines(output).Skip(1))
        {
            Assert.Equal(expectedRow++, long.Parse(line.AsSpan(0, line.IndexOf(',', StringComparison.Ordinal)), CultureInfo.InvariantCulture));
            count++;
        }

        Assert.True(rows == count, $"{count} rows written of {rows}; the job: {job.ToJsonString()}\n{server.Log}");

        // The input (256 MB) never sits in memory: the job completed under a 192 MB heap limit (above), and the whole
        // process (native buffers included) grew by less than the file while scoring it.
        Assert.True(peak - baseline < 256L << 20, $"peak {peak >> 20} MB vs {baseline >> 20} MB before the job: the server held too much of the input");
    }

    private static long WriteLargeCsv(string path, long targetBytes)
    {
        var random = new Random(11);
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        writer.Write("f0,f1,f2,f3,f4,f5,f6,f7\n");
        long rows = 0;
        Span<char> number = stackalloc char[32];
        while (writer.BaseStream.Position < targetBytes)
        {
            for (var c = 0; c < TabularProject.Features; c++)
            {
                if (c > 0)
                {
                    writer.Write(',');
                }

                ((float)((random.NextDouble() * 6) - 3)).TryFormat(number, out var written, "0.#####", CultureInfo.InvariantCulture);
                writer.Write(number[..written]);
            }

            writer.Write('\n');
            rows++;
        }

        return rows;
    }
}
