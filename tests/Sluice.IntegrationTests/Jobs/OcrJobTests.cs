using Samples.Ocr;
using Sluice.IntegrationTests.Infrastructure;

namespace Sluice.IntegrationTests.Jobs;

/// <summary>The OCR sample end to end: rendered text lines scored by a real Sluice job with the sample's deployment.</summary>
public sealed class OcrJobTests
{
    [Fact]
    public async Task OcrSample_JobOverRenderedLines_DecodesThemWithAtLeast90PercentCharacterAccuracy()
    {
        var model = RepositoryScripts.LastLine(await RepositoryScripts.RunAsync("ocr-model.sh", ["path"], throwOnFailure: true, TestContext.Current.CancellationToken))
            ?? throw new InvalidOperationException("scripts/ocr-model.sh path printed no folder; run scripts/ocr-model.sh install");
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("ocr-job");
        using (var renderer = new TextLineRenderer())
        {
            renderer.RenderSet(96, seed: 4242, folder.Combine("data"), folder.Combine("labels.tsv"), CharacterSet.Load(Path.Combine(model, "keys.txt")));
        }

        var sample = Path.Combine(RepositoryScripts.RepositoryRoot(), "samples", "ocr");
        var cli = new CliDriver(server.Url);
        await cli.OkAsync("batch-endpoint", "create", "-f", Path.Combine(sample, "endpoint.yml"));
        await cli.OkAsync("batch-deployment", "create", "-f", Path.Combine(sample, "deployment.yml"), "--set", $"model.path={model}");

        var (job, exit) = await Infrastructure.Jobs.RunAsync(cli, "-n", "ocr", "--input", folder.Combine("data"));

        Assert.True(exit == 0, Infrastructure.Jobs.Reason(job));
        Assert.Equal(96, Infrastructure.Jobs.Items(job, "succeeded"));
        Assert.Equal(3, Infrastructure.Jobs.MiniBatches(job, "total"));
        var output = Path.Combine(Infrastructure.Jobs.Folder(server, job), "score", "predictions.csv");
        Assert.Equal("file_name,text,confidence", File.ReadLines(output).First());
        var report = Labels.Compare(Labels.Read(folder.Combine("labels.tsv")), Labels.ReadPredictions(output));
        Assert.Equal(96, report.Predicted);
        Assert.True(report.CharacterAccuracy >= 0.90, $"{report}; misses: {string.Join("; ", report.Misses.Take(10).Select(m => $"{m.File} '{m.Expected}' → '{m.Actual}'"))}");
    }
}
