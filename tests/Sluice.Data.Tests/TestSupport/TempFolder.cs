namespace Sluice.Data.Tests.TestSupport;

/// <summary>A fresh folder per test, deleted afterwards, so tests never share files.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Path = Directory.CreateTempSubdirectory("sluice-data-tests-").FullName;

    public string Path { get; }

    public string Combine(string relative) => System.IO.Path.Combine(Path, relative);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
