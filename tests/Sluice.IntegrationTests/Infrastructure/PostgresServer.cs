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
                await RepositoryScripts.RunAsync("postgres.sh", ["stop", _dataDirectory], throwOnFailure: false, CancellationToken.None);
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
        var output = await RepositoryScripts.RunAsync("postgres.sh", ["start", _dataDirectory], throwOnFailure: true, cancellationToken);
        var url = RepositoryScripts.LastLine(output);
        if (url is null || !url.StartsWith("postgres://", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"scripts/postgres.sh start printed no postgres:// URL as its last line; it printed:\n{output}");
        }

        return url;
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
