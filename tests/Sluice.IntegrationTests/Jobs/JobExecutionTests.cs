using System.Globalization;
using Sluice.IntegrationTests.Infrastructure;

namespace Sluice.IntegrationTests.Jobs;

public sealed class JobExecutionTests
{
    [Fact]
    public async Task Invoke_OnFolderOfCsvFiles_WritesOnePredictionPerInputRowInInputOrder()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("project");
        var project = TabularProject.Create(folder, "folder-ep");
        var cli = new CliDriver(server.Url);
        await project.DeployAsync(cli);

        var job = (await cli.OkAsync("batch-endpoint", "invoke", "-n", "folder-ep", "--input", project.DataFolder)).Json();
        var name = (string)job["name"]!;
        var stream = await cli.RunAsync("job", "stream", "-n", name);
        Assert.True(stream.ExitCode == 0, stream.ToString());

        var shown = (await cli.OkAsync("job", "show", "-n", name)).Json();
        Assert.Equal("Completed", (string?)shown["status"]);
        Assert.Equal(project.Files, (int)shown["progress"]!["items"]!["succeeded"]!);
        Assert.Equal(3, (int)shown["progress"]!["mini_batches"]!["total"]!);

        using var download = new TempFolder("download");
        await cli.OkAsync("job", "download", "-n", name, "--download-path", download.Path);
        var lines = File.ReadAllLines(download.Combine(name, "named-outputs", "score", "predictions.csv"));
        Assert.Equal("row,prediction,probability_0,probability_1,probability_2,file_name", lines[0]);
        Assert.Equal(project.TotalRows, lines.Length - 1);
        var expectedOrder = Enumerable.Range(0, project.Files).SelectMany(f => Enumerable.Range(0, project.RowsPerFile).Select(r => $"{r},part-{f:D5}.csv")).ToList();
        var actualOrder = lines.Skip(1).Select(l => l.Split(',')).Select(c => $"{c[0]},{c[^1]}").ToList();
        Assert.Equal(expectedOrder, actualOrder);
        Assert.All(lines.Skip(1), l => Assert.InRange(int.Parse(l.Split(',')[1], CultureInfo.InvariantCulture), 0, TabularProject.Classes - 1));
        Assert.True(File.Exists(download.Combine(name, "logs", "job_result.txt")));
    }
}
