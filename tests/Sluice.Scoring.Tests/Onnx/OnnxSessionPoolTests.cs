using Sluice.Scoring.Onnx;
using Sluice.Scoring.Synthetic;
using Sluice.Scoring.Tests.Synthetic;

namespace Sluice.Scoring.Tests.Onnx;

public sealed class OnnxSessionPoolTests : IDisposable
{
    private readonly DirectoryInfo temp = Directory.CreateTempSubdirectory("sluice-session-pool-tests-");

    public void Dispose() => temp.Delete(recursive: true);

    private string SaveModel(string name)
    {
        var path = Path.Combine(temp.FullName, name);
        File.WriteAllBytes(path, SyntheticModels.LogisticRegression(Reference.RandomMatrix(3, 2, 1), [0f, 0f]));
        return path;
    }

    [Fact]
    public void Acquire_SameModelTwice_SharesOneSession()
    {
        var model = SaveModel("model.onnx");

        using var first = OnnxSessionPool.Acquire(model, intraOpThreads: 1);
        using var second = OnnxSessionPool.Acquire(Path.Combine(temp.FullName, "..", temp.Name, "model.onnx"), intraOpThreads: 1);

        Assert.Same(first.Session, second.Session);
    }

    [Fact]
    public void Acquire_OtherModelOrThreadCount_GivesAnotherSession()
    {
        var model = SaveModel("model.onnx");
        var copy = SaveModel("copy.onnx");

        using var first = OnnxSessionPool.Acquire(model, intraOpThreads: 1);
        using var otherFile = OnnxSessionPool.Acquire(copy, intraOpThreads: 1);
        using var otherThreads = OnnxSessionPool.Acquire(model, intraOpThreads: 2);

        Assert.NotSame(first.Session, otherFile.Session);
        Assert.NotSame(first.Session, otherThreads.Session);
    }

    [Fact]
    public void Release_OfOneLease_KeepsTheSessionForTheOther()
    {
        var model = SaveModel("model.onnx");
        using var kept = OnnxSessionPool.Acquire(model, intraOpThreads: 1);
        var released = OnnxSessionPool.Acquire(model, intraOpThreads: 1);

        released.Dispose();
        released.Dispose(); // a second dispose must not release the other holder's reference

        using var again = OnnxSessionPool.Acquire(model, intraOpThreads: 1);
        Assert.Same(kept.Session, again.Session);
        var outputs = OnnxTestRunner.Run(kept.Session, ("input", [1f, 2f, 3f], [1, 3]));
        Assert.Equal([1L], outputs["label"].Shape);
    }

    [Fact]
    public void Release_OfTheLastLease_DropsTheSession_SoTheNextAcquireLoadsAFreshOne()
    {
        var model = SaveModel("model.onnx");
        var first = OnnxSessionPool.Acquire(model, intraOpThreads: 1);
        var second = OnnxSessionPool.Acquire(model, intraOpThreads: 1);
        var session = first.Session;

        first.Dispose();
        second.Dispose();
        using var fresh = OnnxSessionPool.Acquire(model, intraOpThreads: 1);

        Assert.NotSame(session, fresh.Session);
        Assert.Equal([1L], OnnxTestRunner.Run(fresh.Session, ("input", [1f, 2f, 3f], [1, 3]))["label"].Shape);
    }
}
