using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Sluice.Server.Hosting;

namespace Sluice.IntegrationTests.Infrastructure;

/// <summary>A real Sluice server (REST API, SQLite store, Orleans silo) on a free loopback port with its own data directory.</summary>
public sealed class RunningServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TempFolder? _ownedData;
    private int _stopped;

    private RunningServer(WebApplication app, string dataDirectory, TempFolder? ownedData, FileLoggerProvider log)
    {
        _app = app;
        DataDirectory = dataDirectory;
        _ownedData = ownedData;
        Log = log;
        Url = app.Urls.First();
    }

    /// <summary>The server's log (Sluice at Information, others at Warning), in <c>test-server.log</c> of its data directory.</summary>
    public FileLoggerProvider Log { get; }

    public string Url { get; }

    public string DataDirectory { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a server; pass a data directory to reuse (a restart), or none for a fresh temporary one.</summary>
    public static async Task<RunningServer> StartAsync(string? dataDirectory = null, Action<SluiceServerOptions>? configure = null, CancellationToken cancellationToken = default)
    {
        var owned = dataDirectory is null ? new TempFolder("server") : null;
        var options = new SluiceServerOptions { DataDirectory = dataDirectory ?? owned!.Path, Urls = "http://127.0.0.1:0" };
        configure?.Invoke(options);
        Directory.CreateDirectory(options.DataDirectory);
        var log = new FileLoggerProvider(Path.Combine(options.DataDirectory, "test-server.log"));
        var app = SluiceServer.Build(options, logging => logging
            .SetMinimumLevel(LogLevel.Warning)
            .AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning)
            .AddFilter<FileLoggerProvider>("Sluice", LogLevel.Information)
            .AddFilter<FileLoggerProvider>("Orleans.Runtime.MembershipService", LogLevel.Information)
            .AddProvider(log));
        await SluiceServer.StartAsync(app, cancellationToken);
        return new RunningServer(app, options.DataDirectory, owned, log);
    }

    /// <summary>Stops the server gracefully and keeps its data directory (for restart tests).</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();

        Log.Dispose();

        _ownedData?.Dispose();
    }
}
