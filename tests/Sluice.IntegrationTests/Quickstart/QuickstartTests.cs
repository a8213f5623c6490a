using Sluice.IntegrationTests.Infrastructure;

namespace Sluice.IntegrationTests.Quickstart;

public sealed class QuickstartTests
{
    [Fact]
    public async Task Quickstart_OnAnEmptyDataDirectory_RunsAJobWithOnePredictionPerRow_AndCanRunAgain()
    {
        using var folder = new TempFolder("quickstart");
        var cli = new CliDriver("http://127.0.0.1:1");
        var sample = folder.Combine("sample");
        var data = folder.Combine("data");

        var first = await cli.RunAsync("quickstart", "--dir", sample, "--data-dir", data);
        var second = await cli.RunAsync("quickstart", "--dir", sample, "--data-dir", data);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("$ sluice batch-endpoint create -f", first.Out, StringComparison.Ordinal);
        Assert.Contains("$ sluice batch-endpoint invoke -n quickstart --input", first.Out, StringComparison.Ordinal);
        Assert.Contains("Reusing", second.Out, StringComparison.Ordinal);
        var runs = Directory.GetDirectories(Path.Combine(sample, "outputs"));
        Assert.Equal(2, runs.Length);
        foreach (var run in runs)
        {
            var predictions = File.ReadAllLines(Path.Combine(run, "named-outputs", "score", "predictions.csv"));
            Assert.Equal(Sluice.Cli.Quickstart.QuickstartProject.TotalRows, predictions.Length - 1);
        }

        var labels = File.ReadAllLines(Path.Combine(sample, "labels.csv")).Length - 1;
        Assert.Equal(Sluice.Cli.Quickstart.QuickstartProject.TotalRows, labels);
        Assert.Matches(@"Accuracy against the true labels in .*: 9\d\.\d", first.Out);
    }
}
