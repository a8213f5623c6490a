namespace Sluice.IntegrationTests.Infrastructure;

/// <summary>A folder of the test's own, removed when the test ends.</summary>
public sealed class TempFolder(string purpose) : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory($"sluice-{purpose}-").FullName;

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public string Write(string relative, string content)
    {
        var path = Combine(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a stopping server; the OS temp cleaner takes it.
        }
    }
}
