using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Hosting;
using Sluice.Cli.Infrastructure;
using Sluice.Cluster.Hosting;
using Sluice.Core.Specs;

namespace Sluice.Cli.Commands;

/// <summary><c>sluice node</c>: a compute node that joins the cluster of the servers it is given and scores its cluster's jobs.</summary>
internal static class NodeCommand
{
    public static Command Build(CliContext context)
    {
        var cluster = new Option<string>("--cluster", "-c") { Description = "The compute cluster (a compute resource of the workspace) this node serves.", Required = true };
        var cores = new Option<int?>("--cores") { Description = "Cores the node offers (default: the machine's)." };
        var memory = new Option<string?>("--memory") { Description = "Memory the node offers, e.g. 8GB (default: unstated)." };
        var tier = new Option<string?>("--tier") { Description = "dedicated or low_priority (default: the cluster's tier)." };
        var name = new Option<string?>("--name") { Description = "The node's name (default: <cluster>-<host>-<pid>)." };
        var advertise = new Option<string>("--advertise-address") { Description = "The address other silos reach this node at.", DefaultValueFactory = _ => "127.0.0.1" };
        var siloPort = new Option<int>("--silo-port") { Description = "The node's silo port (0: a free one)." };
        var scratch = new Option<string?>("--scratch") { Description = "Local scratch folder for scorer builds and copies (default: a temporary folder)." };
        var parent = new Option<int?>("--parent-pid") { Description = "Stop when this process ends (the local provisioner passes its server's).", Hidden = true };
        var command = new Command("node", "Run a compute node in the foreground: it joins the servers' cluster and scores its cluster's jobs until Ctrl+C or SIGTERM.")
        {
            cluster, cores, memory, tier, name, advertise, siloPort, scratch, parent,
        };
        command.Run(context, async (parse, ct) =>
        {
            var servers = parse.GetValue(GlobalOptions.Server)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(s => Uri.TryCreate(s, UriKind.Absolute, out var uri) ? uri : throw new CliException($"--server '{s}' is not a URL.", ExitCodes.Invalid))
                .ToList();
            var client = context.Client(servers[0].ToString(), parse.GetValue(GlobalOptions.Workspace)!);
            var clusterName = parse.GetValue(cluster)!;

            // The cluster check overlaps the silo's build (a node started by the local provisioner is told its tier);
            // it still ends before the node joins, so a node of a missing cluster never joins.
            var compute = client.GetAsync(client.W("computes", clusterName), ct);
            var nodeTier = parse.GetValue(tier) ?? (string?)(await compute)["tier"] ?? "dedicated";
            if (!Core.Yaml.EnumNames<ComputeTier>.TryParse(nodeTier, out var parsedTier))
            {
                throw new CliException($"--tier '{nodeTier}' is not a tier; expected dedicated or low_priority.", ExitCodes.Invalid);
            }

            if (!System.Net.IPAddress.TryParse(parse.GetValue(advertise), out var advertised) || advertised.Equals(System.Net.IPAddress.Any))
            {
                throw new CliException($"--advertise-address '{parse.GetValue(advertise)}' is not an address the servers can reach.", ExitCodes.Invalid, hint: "give this machine's IP address, e.g. --advertise-address 10.0.0.5");
            }

            var nodeName = parse.GetValue(name) ?? $"{clusterName}-{Environment.MachineName}-{Environment.ProcessId}";
            var settings = new NodeSettings
            {
                Servers = servers,
                Workspace = client.Workspace,
                Cluster = clusterName,
                Name = nodeName,
                Tier = Core.Yaml.EnumNames<ComputeTier>.ToName(parsedTier),
                Cores = parse.GetValue(cores) ?? Environment.ProcessorCount,
                MemoryBytes = ParseMemory(parse.GetValue(memory)),
                AdvertisedAddress = parse.GetValue(advertise)!,
                SiloPort = parse.GetValue(siloPort),
                ScratchDirectory = parse.GetValue(scratch) ?? Path.Combine(Path.GetTempPath(), $"sluice-node-{nodeName}"),
                ParentProcessId = parse.GetValue(parent),
            };
            using var host = await NodeHost.BuildAsync(settings, cancellationToken: ct);
            var built = StartupClock.Elapsed();
            await compute;
            await host.StartAsync(ct);
            context.Info($"Node [bold]{Spectre.Console.Markup.Escape(nodeName)}[/] joined cluster [bold]{Spectre.Console.Markup.Escape(settings.ClusterKey)}[/] ({settings.Tier}, {settings.Cores} cores).");
            context.Info($"Start-up: process started {StartupClock.ProcessStarted:O}; silo built at {built.TotalMilliseconds:0} ms, joined at {StartupClock.Elapsed().TotalMilliseconds:0} ms.");
            var lifetime = (IHostApplicationLifetime)host.Services.GetService(typeof(IHostApplicationLifetime))!;
            using var registration = ct.Register(lifetime.StopApplication);
            await host.WaitForShutdownAsync(CancellationToken.None);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Time since this process started: the latency benchmark reads a node's start-up from it.</summary>
    private static class StartupClock
    {
        public static DateTime ProcessStarted { get; } = Started();

        public static TimeSpan Elapsed() => TimeProvider.System.GetUtcNow().UtcDateTime - ProcessStarted;

        private static DateTime Started()
        {
            using var process = System.Diagnostics.Process.GetCurrentProcess();
            return process.StartTime.ToUniversalTime();
        }
    }

    private static long ParseMemory(string? text)
    {
        if (text is null)
        {
            return 0;
        }

        var trimmed = text.Trim().ToUpperInvariant();
        var (digits, multiplier) = trimmed.EndsWith("GB", StringComparison.Ordinal) ? (trimmed[..^2], 1L << 30)
            : trimmed.EndsWith("MB", StringComparison.Ordinal) ? (trimmed[..^2], 1L << 20)
            : (trimmed, 1L);
        return long.TryParse(digits.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value * multiplier
            : throw new CliException($"--memory '{text}' is not a size; write e.g. 8GB or 512MB.", ExitCodes.Invalid);
    }
}
