using System.Globalization;
using System.Text;
using Sluice.IntegrationTests.Infrastructure;

namespace Sluice.IntegrationTests.Jobs;

public sealed class TabularMiniBatchTests
{
    [Fact]
    public async Task MiniBatchSizeInRows_SplitsLargeFilesAndPacksSmallOnes_KeepingRowNumbersAndOrder()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("rows");
        var project = TabularProject.Create(folder, "rows-ep", files: 4, rowsPerFile: 50);
        var cli = new CliDriver(server.Url);
        await project.DeployAsync(cli);

        var (job, exit) = await Infrastructure.Jobs.RunAsync(cli, "-n", "rows-ep", "--input", project.DataFolder, "--mini-batch-size", "30 rows");

        Assert.True(exit == 0, Infrastructure.Jobs.Reason(job));
        // 200 rows in mini-batches of 30 rows: 7 mini-batches; slices become items (files cut at 30-row marks).
        Assert.Equal(7, Infrastructure.Jobs.MiniBatches(job, "total"));
        var rows = File.ReadAllLines(Path.Combine(Infrastructure.Jobs.Folder(server, job), "score", "predictions.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        var expected = Enumerable.Range(0, 4).SelectMany(f => Enumerable.Range(0, 50).Select(r => $"{r},part-{f:D5}.csv")).ToList();
        Assert.Equal(expected, rows.Select(c => $"{c[0]},{c[^1]}").ToList());
    }

    [Fact]
    public async Task SlicesGivenToACustomScorer_ArriveAsFilesWithTheHeaderAndTheirRows()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("custom-slices");
        CustomScorerProject.Write(folder, "slice-ep", "LineCountScorer");
        var csv = new StringBuilder("a,b\n");
        for (var i = 0; i < 25; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{i},{i * 2}\n");
        }

        folder.Write("inputs/big.csv", csv.ToString());
        var cli = new CliDriver(server.Url);
        await cli.OkAsync("batch-endpoint", "create", "-f", folder.Combine("endpoint.yml"));
        await cli.OkAsync("batch-deployment", "create", "-f", folder.Combine("deployment.yml"));

        var (job, exit) = await Infrastructure.Jobs.RunAsync(cli, "-n", "slice-ep", "--input", folder.Combine("inputs"), "--mini-batch-size", "10 rows");

        Assert.True(exit == 0, Infrastructure.Jobs.Reason(job));
        Assert.Equal(
            ["file_name,lines,first_line", "big.csv,11,\"a,b\"", "big.csv,11,\"a,b\"", "big.csv,6,\"a,b\""],
            File.ReadAllLines(Path.Combine(Infrastructure.Jobs.Folder(server, job), "score", "predictions.csv")));
    }

    [Fact]
    public async Task LargeCsvSplitByBytes_IsScoredWithBoundedMemory_AndEveryRowOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        using var folder = new TempFolder("large-csv");
        var project = TabularProject.Create(folder, "large-ep", files: 1, rowsPerFile: 10);
        var big = Path.Combine(folder.Combine("large"), "big.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(big)!);
        var rows = WriteLargeCsv(big, targetBytes: 256L << 20);
        await using var server = await ServerProcess.StartAsync(folder.Combine("server"), cancellationToken: ct);
        var cli = new CliDriver(server.Url);
        await project.DeployAsync(cli);
        var data = (await cli.OkAsync("data", "create", "-n", "big", "--path", Path.GetDirectoryName(big)!)).Json();
        var baseline = server.Memory().Current;

        var (job, exit) = await Infrastructure.Jobs.RunAsync(cli, "-n", "large-ep", "--input", (string)data["path"]!, "--mini-batch-size", "8MB");

        var peak = server.Memory().Peak;
        TestContext.Current.TestOutputHelper?.WriteLine($"memory: baseline {baseline >> 20} MB, peak {peak >> 20} MB");
        Assert.True(exit == 0, $"{Infrastructure.Jobs.Reason(job)}\n{server.Log}");
        Assert.True(Infrastructure.Jobs.MiniBatches(job, "total") >= 32, "a 256 MB file in 8 MB mini-batches makes at least 32 of them");
        var output = Path.Combine(server.DataDirectory, "datastores", "default", "workspaceblobstore", "azureml", Infrastructure.Jobs.Name(job), "score", "predictions.csv");
        long count = 0;
        long expectedRow = 0;
        foreach (var line in File.ReadLines(output).Skip(1))
        {
            Assert.Equal(expectedRow++, long.Parse(line.AsSpan(0, line.IndexOf(',', StringComparison.Ordinal)), CultureInfo.InvariantCulture));
            count++;
        }

        Assert.Equal(rows, count);

        // The input (256 MB) never sits in memory: the server grows by far less than the file while scoring it.
        Assert.True(peak - baseline < 160L << 20, $"peak {peak >> 20} MB vs {baseline >> 20} MB before the job: the server held too much of the input");
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
