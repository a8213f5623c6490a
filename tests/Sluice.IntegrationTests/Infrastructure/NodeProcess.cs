using System.Diagnostics;

namespace Sluice.IntegrationTests.Infrastructure;

/// <summary>A compute node in its own process (the real <c>sluice node</c> command), so that it can be SIGKILLed or frozen.</summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringWriter _log;

    private NodeProcess(Process process, string name, StringWriter log)
    {
        _process = process;
        Name = name;
        _log = log;
    }

    public string Name { get; }

    public int Pid => _process.Id;

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

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <c>sluice node</c> against <paramref name="servers"/> (comma-separated URLs) and waits until the cluster reports it.</summary>
    public static async Task<NodeProcess> StartAsync(string servers, string cluster, string name, string? tier = null, int cores = 2, IReadOnlyDictionary<string, string>? environment = null, CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                Path.Combine(AppContext.BaseDirectory, "sluice.dll"), "node", "--server", servers, "--workspace", "default",
                "--cluster", cluster, "--name", name, "--cores", cores.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (tier is not null)
        {
            start.ArgumentList.Add("--tier");
            start.ArgumentList.Add(tier);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var log = new StringWriter();
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the node process");
        process.OutputDataReceived += (_, e) => { lock (log) { log.WriteLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (log) { log.WriteLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var node = new NodeProcess(process, name, log);
        var firstServer = servers.Split(',')[0];
        try
        {
            await ClusterProbe.WaitForNodeStateAsync(new CliDriver(firstServer), cluster, name, s => s is "idle" or "running", TimeSpan.FromSeconds(60), () => process.HasExited ? $"the node exited with {process.ExitCode}:\n{node.Log}" : null, cancellationToken);
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }

        return node;
    }

    /// <summary>SIGKILL: the node vanishes without a word, as a crashed machine or a reclaimed low-priority VM does.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGSTOP: the node freezes with its sockets open.</summary>
    public Task FreezeAsync() => Signals.SendAsync(_process.Id, "STOP");

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // A frozen process does not die of SIGKILL until continued on some kernels' accounting; continue it first.
            try
            {
                await Signals.SendAsync(_process.Id, "CONT");
            }
            catch (InvalidOperationException)
            {
                // It exited meanwhile.
            }

            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
