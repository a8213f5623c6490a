using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Sluice.Cluster.Compute;

/// <summary>Where local nodes' processes come from and how they reach this server.</summary>
public sealed class LocalNodeLauncherOptions
{
    /// <summary>Node logs and scratch folders go under <c>nodes/</c> here.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>This server's own API address, for the nodes it starts (known once the server listens).</summary>
    public required Func<Uri?> ServerUrl { get; init; }

    /// <summary>The <c>sluice</c> assembly that runs <c>sluice node</c>; by default the one beside this server's code.</summary>
    public string SluiceAssembly { get; init; } = DefaultSluiceAssembly;

    public static string DefaultSluiceAssembly => Path.Combine(AppContext.BaseDirectory, "sluice.dll");
}

/// <summary>
/// The local provisioner's hands: starts <c>sluice node</c> processes on this machine and kills them on request.
/// Stopping a node normally goes through the node itself (it leaves the cluster gracefully); killing is for
/// preemption, for nodes that misbehave, and for the server's own shutdown: the nodes it started stop with it.
/// </summary>
public sealed partial class LocalNodeLauncher(LocalNodeLauncherOptions options, ILogger<LocalNodeLauncher> logger) : IHostedService, IDisposable
{
    private readonly ConcurrentDictionary<string, Launched> _processes = new(StringComparer.Ordinal);
    private int _disposed;

    /// <summary>Starts a node of a cluster; returns its name.</summary>
    public string Start(string workspace, string compute, string tier)
    {
        var server = options.ServerUrl() ?? throw new InvalidOperationException("The server is not listening yet; nodes cannot be started.");
        var name = $"{compute}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3))}";
        var folder = Path.Combine(options.DataDirectory, "nodes");
        Directory.CreateDirectory(folder);
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                options.SluiceAssembly, "node",
                "--server", server.ToString(),
                "--workspace", workspace,
                "--cluster", compute,
                "--tier", tier,
                "--name", name,
                "--scratch", Path.Combine(folder, name),
                "--parent-pid", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start a node process");
        var log = new StreamWriter(Path.Combine(folder, $"{name}.log"), append: true) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes[name] = new Launched(process, log, DateTime.UtcNow);
        LogStarted(logger, name, process.Id, workspace, compute);
        return name;
    }

    /// <summary>Names of nodes this server started whose process still runs.</summary>
    public IReadOnlyCollection<string> Running() => _processes.Where(p => !p.Value.Process.HasExited).Select(p => p.Key).ToList();

    /// <summary>When a started node's process began, if it still runs.</summary>
    public DateTime? StartedAt(string name) => _processes.TryGetValue(name, out var launched) && !launched.Process.HasExited ? launched.StartedAt : null;

    /// <summary>Kills a node this server started, at once (SIGKILL). False when it is not one of ours.</summary>
    public bool Kill(string name)
    {
        if (!_processes.TryGetValue(name, out var launched) || launched.Process.HasExited)
        {
            return false;
        }

        launched.Process.Kill(entireProcessTree: true);
        return true;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Stops the nodes this server started, at once: the server's silo has already left, local nodes belong to it,
    /// and whatever they were running is re-queued when the job resumes. (Scale-down, by contrast, asks a node to
    /// leave gracefully through the cluster.)
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _disposed) == 1)
        {
            return; // a host stopped again after disposal: its nodes are gone already
        }

        foreach (var launched in _processes.Values.Where(p => !p.Process.HasExited))
        {
            launched.Process.Kill(entireProcessTree: true);
            await launched.Process.WaitForExitAsync(cancellationToken);
        }
    }

    public void Dispose()
    {
        // Registered both as itself and as a hosted service: the container disposes it twice.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        foreach (var launched in _processes.Values)
        {
            if (!launched.Process.HasExited)
            {
                launched.Process.Kill(entireProcessTree: true);
            }

            launched.Process.Dispose();
            launched.Log.Dispose();
        }

        _processes.Clear();
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.WriteLine(line);
        }
    }

    private sealed record Launched(Process Process, StreamWriter Log, DateTime StartedAt);

    [LoggerMessage(EventId = 2300, Level = LogLevel.Information, Message = "Started node {Node} (pid {Pid}) for cluster {Workspace}/{Compute}")]
    private static partial void LogStarted(ILogger logger, string node, int pid, string workspace, string compute);
}
