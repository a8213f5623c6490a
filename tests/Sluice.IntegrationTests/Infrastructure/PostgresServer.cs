using System.Diagnostics;
using Npgsql;
using Sluice.Data.Store;

[assembly: AssemblyFixture(typeof(Sluice.IntegrationTests.Infrastructure.PostgresServer))]

namespace Sluice.IntegrationTests.Infrastructure;

/// <summary>
/// One PostgreSQL server for the whole test run, started on first use by <c>scripts/postgres.sh start</c> in a
/// temporary folder (the script installs PostgreSQL when the machine lacks it, so no test skips for want of it) and
/// stopped when the run ends. Tests share the server, never a database: each asks for a fresh one.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(10);

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"sluice-pg-{Guid.NewGuid():N}");
    private readonly Lazy<Task<string>> _started;

    public PostgresServer()
    {
        // Started once, on behalf of every test: one test's cancellation must not fail the start for the others.
        _started = new Lazy<Task<string>>(() => Task.Run(() => StartAsync(CancellationToken.None)));
    }

    /// <summary>
    /// Creates an empty database of the test's own and returns it. Its default collation is the server's ("C"), or ICU's
    /// rules for <paramref name="icuLocale"/> (e.g. "en-US"), as an operator's database may have.
    /// </summary>
    public async Task<PostgresDatabase> CreateDatabaseAsync(string? icuLocale = null, CancellationToken cancellationToken = default)
    {
        var adminUrl = await _started.Value.WaitAsync(cancellationToken);
        var name = $"sluice_test_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(StoreLocation.Parse(adminUrl).ConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            var collation = icuLocale is null ? string.Empty : $" TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE '{icuLocale}'";
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"{collation}", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return new PostgresDatabase(adminUrl, name, adminUrl[..(adminUrl.LastIndexOf('/') + 1)] + name);
    }

    /// <summary>A URL for a database that does not exist (yet) on this server.</summary>
    public async Task<string> UrlForMissingDatabaseAsync(CancellationToken cancellationToken)
    {
        var adminUrl = await _started.Value.WaitAsync(cancellationToken);
        return adminUrl[..(adminUrl.LastIndexOf('/') + 1)] + $"sluice_missing_{Guid.NewGuid():N}";
    }

    public async ValueTask DisposeAsync()
    {
        if (_started.IsValueCreated)
        {
            try
            {
                await _started.Value;
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException or System.ComponentModel.Win32Exception)
            {
                // The start failed and the tests that needed it said so; stop whatever may have started anyway.
            }

            if (Directory.Exists(_dataDirectory))
            {
                await RunScriptAsync(["stop", _dataDirectory], throwOnFailure: false, CancellationToken.None);
            }
        }

        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Never started.
        }
        catch (IOException)
        {
            // Left to the OS temp cleaner.
        }
    }

    private async Task<string> StartAsync(CancellationToken cancellationToken)
    {
        var output = await RunScriptAsync(["start", _dataDirectory], throwOnFailure: true, cancellationToken);
        var url = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        if (url is null || !url.StartsWith("postgres://", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"scripts/postgres.sh start printed no postgres:// URL as its last line; it printed:\n{output}");
        }

        return url;
    }

    private static async Task<string> RunScriptAsync(string[] arguments, bool throwOnFailure, CancellationToken cancellationToken)
    {
        var script = Path.Combine(RepositoryRoot(), "scripts", "postgres.sh");
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not run {script}");
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
            throw new InvalidOperationException($"{script} {string.Join(' ', arguments)} did not finish within {ScriptTimeout.TotalMinutes} minutes; its output:\n{await stderr}");
        }

        if (process.ExitCode != 0 && throwOnFailure)
        {
            throw new InvalidOperationException($"{script} {string.Join(' ', arguments)} failed with exit code {process.ExitCode}:\n{await stderr}");
        }

        return await stdout;
    }

    /// <summary>The folder holding Sluice.slnx, found by walking up from the test assembly.</summary>
    private static string RepositoryRoot()
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

/// <summary>A database of one test's own on the shared <see cref="PostgresServer"/>; dropped when the test ends.</summary>
public sealed class PostgresDatabase(string adminUrl, string name, string url) : IAsyncDisposable
{
    public string Name { get; } = name;

    /// <summary>Its <c>postgres://</c> URL, as <c>--store</c> takes it (the server trusts local connections: no password).</summary>
    public string Url { get; } = url;

    /// <summary>The URL with a password in it: the server ignores it, Sluice must never show it.</summary>
    public string UrlWithPassword(string password) => Url.Replace("postgres://postgres@", $"postgres://postgres:{password}@", StringComparison.Ordinal);

    public async ValueTask DisposeAsync()
    {
        // FORCE ends the connections the stopped server's pool still holds.
        await using var connection = new NpgsqlConnection(StoreLocation.Parse(adminUrl).ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
