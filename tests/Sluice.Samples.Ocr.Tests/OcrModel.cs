using System.Diagnostics;

namespace Sluice.Samples.Ocr.Tests;

/// <summary>
/// The PaddleOCR recognition model, found with the repository's own script (scripts/ocr-model.sh path), as a
/// developer or CI finds it. Tests that need it fail, never skip, when it cannot be had: test.sh installs it.
/// </summary>
public static class OcrModel
{
    private static readonly Lazy<string> Folder = new(Locate, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string Path => Folder.Value;

    private static string Locate()
    {
        var script = System.IO.Path.Combine(RepositoryRoot(), "scripts", "ocr-model.sh");
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add("path");
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not run {script}");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{script} path did not finish within 5 minutes");
        }

        var folder = stdout.Trim();
        if (process.ExitCode != 0 || !File.Exists(System.IO.Path.Combine(folder, "rec.onnx")))
        {
            throw new InvalidOperationException($"the OCR model is missing and '{script} path' could not fetch it (exit {process.ExitCode}); run scripts/ocr-model.sh install (test.sh does). Its output:\n{stderr.Result}");
        }

        return folder;
    }

    /// <summary>The folder holding Sluice.slnx, found by walking up from the test assembly.</summary>
    public static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "Sluice.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"no folder above {AppContext.BaseDirectory} holds Sluice.slnx");
    }
}

/// <summary>A per-test temporary folder, deleted afterwards.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder(string name) => Path = Directory.CreateTempSubdirectory($"sluice-ocr-{name}-").FullName;

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a file still open on a slow file system must not fail the test that used it.
        }
    }
}
