using Sluice.Scoring.Onnx;

namespace Sluice.Scoring.Tests.Onnx;

public sealed class OnnxWarmupTests : IDisposable
{
    private readonly DirectoryInfo temp = Directory.CreateTempSubdirectory("sluice-warmup-tests-");

    public void Dispose() => temp.Delete(recursive: true);

    [Fact]
    public async Task Warmup_ScoresItsOwnRows_AndLeavesTheScratchFolderAsItWas()
    {
        File.WriteAllText(Path.Combine(temp.FullName, "kept.txt"), "a node's own file");

        var rows = await OnnxWarmup.RunAsync(temp.FullName, TestContext.Current.CancellationToken);

        Assert.Equal(4, rows);
        Assert.Equal(["kept.txt"], temp.EnumerateFileSystemInfos().Select(f => f.Name));
    }
}
