using System.Globalization;
using Sluice.Scoring.Onnx;
using Sluice.TestScorers;

namespace Sluice.Scoring.Tests.DotNet;

public sealed class ScorerFactoryTests : IDisposable
{
    private readonly DirectoryInfo temp = Directory.CreateTempSubdirectory("sluice-scorer-factory-tests-");
    private readonly StringWriter log = new(CultureInfo.InvariantCulture);

    public void Dispose()
    {
        log.Dispose();
        temp.Delete(recursive: true);
    }

    private ScorerFactory Factory => new(Path.Combine(temp.FullName, "build-cache"));

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(null, null)]
    [InlineData("code", null)]
    [InlineData(null, "score.dll")]
    public async Task CreateAsync_WithoutCode_GivesTheOnnxScorer(string? codeFolder, string? scoringScript)
    {
        var scorer = await Factory.CreateAsync(new ScorerRequest(Path.Combine(temp.FullName, "model.onnx"), codeFolder, scoringScript, IntraOpThreads: 1), log, Token);

        using var onnx = Assert.IsType<OnnxTabularScorer>(scorer);
    }

    [Fact]
    public async Task CreateAsync_DotNetScoringScript_LoadsTheScorerFromTheCodeFolder()
    {
        var code = Directory.CreateDirectory(Path.Combine(temp.FullName, "code")).FullName;
        File.Copy(typeof(ThrowingScorer).Assembly.Location, Path.Combine(code, "Sluice.TestScorers.dll"));
        var request = new ScorerRequest(Path.Combine(temp.FullName, "model"), code, "Sluice.TestScorers.dll:Sluice.TestScorers.BrokenInitScorer", IntraOpThreads: 1);

        var scorer = await Factory.CreateAsync(request, log, Token);

        Assert.Equal("Sluice.TestScorers.BrokenInitScorer", scorer.GetType().FullName);
        var context = new Abstractions.ScorerContext(request.ModelPath, null, new Dictionary<string, string>(), "worker-0", log);
        var error = await Assert.ThrowsAsync<FileNotFoundException>(async () => await scorer.InitAsync(context, Token));
        Assert.Equal("model weights 'missing.bin' not found", error.Message);
    }
}
