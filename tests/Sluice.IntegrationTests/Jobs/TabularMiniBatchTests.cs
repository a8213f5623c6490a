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
}
