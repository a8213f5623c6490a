using System.Diagnostics;

namespace Sluice.IntegrationTests.Infrastructure;

/// <summary>Runs the repository's own scripts (scripts/*.sh), as a developer or CI would.</summary>
public static class RepositoryScripts
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(10);

    /// <summary>Runs <c>scripts/<paramref name="script"/></c> with bash and returns its standard output.</summary>
    public static async Task<string> RunAsync(string script, string[] arguments, bool throwOnFailure, CancellationToken cancellationToken)
    {
        var path = Path.Combine(RepositoryRoot(), "scripts", script);
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(path);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not run {path}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ScriptTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{path} {string.Join(' ', arguments)} did not finish within {ScriptTimeout.TotalMinutes} minutes; its output:\n{await stderr}");
        }

        if (process.ExitCode != 0 && throwOnFailure)
        {
            throw new InvalidOperationException($"{path} {string.Join(' ', arguments)} failed with exit code {process.ExitCode}:\n{await stderr}");
        }

        return await stdout;
    }

    /// <summary>The last non-empty line a script printed: what the start scripts print their server's address as.</summary>
    public static string? LastLine(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();

    /// <summary>The folder holding Sluice.slnx, found by walking up from the test assembly.</summary>
    public static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Sluice.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"no folder above {AppContext.BaseDirectory} holds Sluice.slnx");
    }
}
