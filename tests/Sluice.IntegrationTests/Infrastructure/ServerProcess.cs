using System.Diagnostics;
using Sluice.Cluster.Hosting;

namespace Sluice.IntegrationTests.Infrastructure;

/// <summary>
/// A Sluice server in its own process (the real <c>sluice server</c> command), for what only a separate process can
/// show: SIGKILL, SIGTERM, restarts.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringWriter _log;

    private ServerProcess(Process process, string url, string dataDirectory, StringWriter log)
    {
        _process = process;
        Url = url;
        DataDirectory = dataDirectory;
        _log = log;
    }

    public string Url { get; }

    public string DataDirectory { get; }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>The process's resident memory now and at its peak (VmRSS, VmHWM from /proc), in bytes.</summary>
    public (long Current, long Peak) Memory()
    {
        var status = File.ReadAllLines($"/proc/{_process.Id}/status");
        long Read(string key) => long.Parse(status.Single(l => l.StartsWith(key, StringComparison.Ordinal)).Split(':')[1].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        return (Read("VmRSS:"), Read("VmHWM:"));
    }

    /// <summary>Starts <c>sluice server</c>; <paramref name="arguments"/> are added to its command line (e.g. <c>--store</c>).</summary>
    public static async Task<ServerProcess> StartAsync(string dataDirectory, int? port = null, IReadOnlyList<string>? arguments = null, IReadOnlyDictionary<string, string>? environment = null, CancellationToken cancellationToken = default)
    {
        // A free port picked here can be taken by another process before the server binds it: pick again then.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceAsync(dataDirectory, port, arguments, environment, cancellationToken);
            }
            catch (InvalidOperationException ex) when (port is null && attempt < 3 && ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
            }
        }
    }

    private static async Task<ServerProcess> StartOnceAsync(string dataDirectory, int? port, IReadOnlyList<string>? arguments, IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken)
    {
        var url = $"http://127.0.0.1:{port ?? FreePorts.Pick()}";
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "sluice.dll"), "server", "--data-dir", dataDirectory, "--urls", url },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments ?? [])
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var log = new StringWriter();
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the server process");
        process.OutputDataReceived += (_, e) => { lock (log) { log.WriteLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (log) { log.WriteLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, url, dataDirectory, log);
        try
        {
            await server.WaitUntilHealthyAsync(cancellationToken);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>What a crash or an operator's kill -9 does: no shutdown, no cleanup (nodes it started follow it on their own).</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGSTOP: the process freezes with its sockets open, as a hung machine or a partition looks.</summary>
    public Task FreezeAsync() => Signals.SendAsync(_process.Id, "STOP");

    /// <summary>SIGTERM, as a service manager stops the server; returns the exit code.</summary>
    public async Task<int> TerminateAsync(CancellationToken cancellationToken)
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync(cancellationToken);
        await _process.WaitForExitAsync(cancellationToken);
        return _process.ExitCode;
    }

    private async Task WaitUntilHealthyAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the server exited with {_process.ExitCode} during start-up:\n{Log}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri($"{Url}/health"), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The first answer of a cold server on a busy machine can take longer than one attempt's timeout.
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new TimeoutException($"the server did not become healthy within 60 s:\n{Log}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
