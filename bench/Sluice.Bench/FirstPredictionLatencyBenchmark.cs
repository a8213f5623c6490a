using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Sluice.Scoring.Synthetic;
using Sluice.Server.Hosting;
using Spectre.Console;

namespace Sluice.Bench;

/// <summary>
/// One invocation's timeline, in milliseconds from the invoke call: when the job was created, when it started running,
/// and when its first mini-batch output was committed (the job's <c>first_output_time</c>). The times after the call
/// are the server's own, on the same machine's clock.
/// </summary>
public sealed record LatencyRun(string Case, double CreatedMs, double StartedMs, double FirstOutputMs, NodeStartup? Node);

/// <summary>
/// A node's start-up as it logged it, in milliseconds from the invoke call: its process started, its silo was built,
/// it joined the cluster, and its first worker's scorer was ready (with how long the scorer itself took).
/// </summary>
public sealed record NodeStartup(double ProcessMs, double BuiltMs, double JoinedMs, double? ScorerReadyMs, double? ScorerInitMs);

/// <summary>
/// Benchmark (b) of issue 8: invoke → first committed prediction, for a tiny job (one small CSV file, the quickstart's
/// logistic regression). Three cases: (i) the server's own worker, warmed by one job; (ii) a compute cluster with one
/// local node already running and warmed; (iii) a compute cluster scaled to zero, so the job waits for a node to start.
/// Each invocation is timed from the invoke call to the first_output_time the job records.
/// </summary>
public static class FirstPredictionLatencyBenchmark
{
    private static readonly TimeSpan WarmGoal = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan FromZeroGoal = TimeSpan.FromSeconds(3);

    /// <summary>
    /// bench/run's entry: <c>--warm 10 --from-zero 3 --rows 20 [--node-assembly PATH]</c>. With a node assembly (the
    /// sluice.dll of a ReadyToRun-published CLI, as bench/run passes), local nodes run it, and the from-zero case is also
    /// measured with nodes running this benchmark's own (JIT-compiled) copy, as a baseline.
    /// </summary>
    public static async Task<IReadOnlyList<BenchFigure>> RunAsync(BenchArguments args)
    {
        var nodeAssembly = args.Text("--node-assembly", Environment.GetEnvironmentVariable("SLUICE_BENCH_NODE_ASSEMBLY") ?? string.Empty);
        var runs = await MeasureAsync(args.Int("--warm", 10), args.Int("--from-zero", 3), args.Int("--rows", 20), nodeAssembly.Length == 0 ? null : nodeAssembly);
        Print(runs);
        var figures = new List<BenchFigure>
        {
            Figure(runs, "warm", "warm server: median invoke → first output (max)", WarmGoal),
            Figure(runs, "warm node", "warm node: median invoke → first output (max)", WarmGoal),
            Figure(runs, "from zero", "from zero: median invoke → first output (max)", FromZeroGoal),
        };
        if (runs.Any(r => r.Case == JitFromZero))
        {
            figures.Add(Figure(runs, JitFromZero, "from zero, JIT-compiled nodes (baseline)", goal: null));
        }

        return figures;
    }

    private const string JitFromZero = "from zero, JIT nodes";

    public static async Task<IReadOnlyList<LatencyRun>> MeasureAsync(int warm, int fromZero, int rows, string? nodeAssembly)
    {
        var root = Directory.CreateTempSubdirectory("sluice-bench-latency-");
        try
        {
            var modelFile = Path.Combine(root.FullName, "model", "model.onnx");
            Directory.CreateDirectory(Path.GetDirectoryName(modelFile)!);
            var training = TabularDataset.Generate(2000, 8, 3, seed: 2026);
            await File.WriteAllBytesAsync(modelFile, SyntheticModels.LogisticRegression(LogisticRegressionTrainer.Fit(training, seed: 1)));
            var inputs = Path.Combine(root.FullName, "inputs");
            CsvDatasetWriter.Write(TabularDataset.Stream(rows, 8, 3, seed: 5), rows, 8, inputs, new CsvDatasetOptions { Files = 1, IncludeLabel = false });

            var runs = new List<LatencyRun>();
            await WithServerAsync(Path.Combine(root.FullName, "server"), nodeAssembly, async (cli, dataDirectory) =>
            {
                var input = (string)JsonNode.Parse(await cli.RunAsync("data", "create", "-n", "latency-input", "--path", inputs))!["path"]!;

                // (i) The server's own worker: the job runs in the server's silo.
                await DeployAsync(cli, root.FullName, "latency-warm", modelFile, compute: null);
                await InvokeAsync(cli, "latency-warm", input); // warms the worker, the scorer and the server's paths
                for (var i = 0; i < warm; i++)
                {
                    runs.Add(await TimeAsync(cli, "warm", "latency-warm", input, dataDirectory: null));
                }

                // (ii) One local node, started and warmed by one job before the clock runs.
                await CreateComputeAsync(cli, root.FullName, "latency-node", minInstances: 1);
                await DeployAsync(cli, root.FullName, "latency-node", modelFile, compute: "latency-node");
                await WaitAsync(async () => (await NodesAsync(cli, "latency-node")).Count(n => (string)n!["state"]! == "idle") == 1, TimeSpan.FromMinutes(2), "the node of latency-node to start");
                await InvokeAsync(cli, "latency-node", input);
                for (var i = 0; i < warm; i++)
                {
                    runs.Add(await TimeAsync(cli, "warm node", "latency-node", input, dataDirectory: null));
                }

                await cli.RunAsync("compute", "update", "-n", "latency-node", "--min-instances", "0");
                await WaitAsync(async () => (await NodesAsync(cli, "latency-node")).Count == 0, TimeSpan.FromMinutes(2), "the node of latency-node to stop");

                // (iii) Scaled to zero.
                runs.AddRange(await FromZeroAsync(cli, root.FullName, dataDirectory, "from zero", modelFile, input, fromZero));
            });

            if (nodeAssembly is not null)
            {
                await WithServerAsync(Path.Combine(root.FullName, "server-jit"), null, async (cli, dataDirectory) =>
                {
                    var input = (string)JsonNode.Parse(await cli.RunAsync("data", "create", "-n", "latency-input", "--path", inputs))!["path"]!;
                    runs.AddRange(await FromZeroAsync(cli, root.FullName, dataDirectory, JitFromZero, modelFile, input, fromZero));
                });
            }

            return runs;
        }
        finally
        {
            if (Environment.GetEnvironmentVariable("SLUICE_BENCH_KEEP") is null)
            {
                root.Delete(recursive: true);
            }
            else
            {
                Console.Error.WriteLine($"kept {root.FullName}");
            }
        }
    }

    private static async Task WithServerAsync(string dataDirectory, string? nodeAssembly, Func<BenchCli, string, Task> measure)
    {
        var app = SluiceServer.Build(
            new SluiceServerOptions { DataDirectory = dataDirectory, Urls = "http://127.0.0.1:0", NodeAssembly = nodeAssembly },
            l => l.SetMinimumLevel(LogLevel.Warning).AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning));
        await SluiceServer.StartAsync(app);
        try
        {
            await measure(new BenchCli(app.Urls.First()), dataDirectory);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>A cluster with <c>min_instances: 0</c>: each run waits for it to have no node, then invokes.</summary>
    private static async Task<IReadOnlyList<LatencyRun>> FromZeroAsync(BenchCli cli, string root, string dataDirectory, string kind, string modelFile, string input, int count)
    {
        await CreateComputeAsync(cli, root, "latency-zero", minInstances: 0);
        await DeployAsync(cli, root, "latency-zero", modelFile, compute: "latency-zero");
        var runs = new List<LatencyRun>();
        for (var i = 0; i < count; i++)
        {
            await WaitAsync(async () => (await NodesAsync(cli, "latency-zero")).Count == 0, TimeSpan.FromMinutes(2), "latency-zero to scale to zero");
            runs.Add(await TimeAsync(cli, kind, "latency-zero", input, dataDirectory));
        }

        return runs;
    }

    public static void Print(IReadOnlyList<LatencyRun> runs)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("case").AddColumn("runs").AddColumn("median ms").AddColumn("max ms").AddColumn("→ created").AddColumn("→ running").AddColumn("→ first output")
            .AddColumn("node: process").AddColumn("silo built").AddColumn("joined").AddColumn("scorer ready (init)");
        foreach (var group in runs.GroupBy(r => r.Case))
        {
            var list = group.ToList();
            var nodes = list.Where(r => r.Node is not null).Select(r => r.Node!).ToList();
            table.AddRow(
                group.Key, list.Count.ToString(CultureInfo.InvariantCulture), Ms(Median(list.Select(r => r.FirstOutputMs))), Ms(list.Max(r => r.FirstOutputMs)),
                Ms(Median(list.Select(r => r.CreatedMs))), Ms(Median(list.Select(r => r.StartedMs))), Ms(Median(list.Select(r => r.FirstOutputMs))),
                nodes.Count == 0 ? "-" : Ms(Median(nodes.Select(n => n.ProcessMs))),
                nodes.Count == 0 ? "-" : Ms(Median(nodes.Select(n => n.BuiltMs))),
                nodes.Count == 0 ? "-" : Ms(Median(nodes.Select(n => n.JoinedMs))),
                !nodes.Any(n => n.ScorerReadyMs is not null) ? "-" : $"{Ms(Median(nodes.Where(n => n.ScorerReadyMs is not null).Select(n => n.ScorerReadyMs!.Value)))} ({Ms(Median(nodes.Where(n => n.ScorerInitMs is not null).Select(n => n.ScorerInitMs!.Value)))})");
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine("Columns after 'max' are medians in ms from the invoke call (the in-process CLI's call, then the server's and node's own clocks).");
        AnsiConsole.MarkupLine(Markup.Escape($"{Environment.ProcessorCount} cores, .NET {Environment.Version}; load average {LoadAverage()}."));
    }

    /// <summary>The machine's load average (1, 5, 15 min), which these timings depend on; "unknown" off Linux.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static BenchFigure Figure(IReadOnlyList<LatencyRun> runs, string kind, string measure, TimeSpan? goal)
    {
        var times = runs.Where(r => r.Case == kind).Select(r => r.FirstOutputMs).ToList();
        var target = goal is { } g ? $"< {(g.TotalSeconds >= 1 ? $"{g.TotalSeconds:0} s" : $"{g.TotalMilliseconds:0} ms")}" : "-";
        if (times.Count == 0)
        {
            return new BenchFigure("latency", measure, "not run", target, null);
        }

        var median = Median(times);
        return new BenchFigure("latency", measure, $"{Ms(median)} ms ({Ms(times.Max())})", target, goal is null ? null : median < goal.Value.TotalMilliseconds);
    }

    private static async Task<LatencyRun> TimeAsync(BenchCli cli, string kind, string endpoint, string input, string? dataDirectory)
    {
        var invokedAt = DateTime.UtcNow;
        var job = await InvokeAsync(cli, endpoint, input);
        var created = Time(job["creation_context"]!["created_at"])!.Value;
        var started = Time(job["start_time"])!.Value;
        var first = Time(job["first_output_time"]) ?? throw new InvalidOperationException($"job {(string)job["name"]!} completed without a first_output_time");
        var node = dataDirectory is null ? null : NodeStartupOf(dataDirectory, invokedAt);
        var run = new LatencyRun(kind, Ms(created, invokedAt), Ms(started, invokedAt), Ms(first, invokedAt), node);
        AnsiConsole.MarkupLine($"[grey]{kind}: {run.FirstOutputMs:0} ms (created {run.CreatedMs:0}, running {run.StartedMs:0}{(node is null ? string.Empty : $", node process {node.ProcessMs:0}, built {node.BuiltMs:0}, joined {node.JoinedMs:0}, scorer ready {node.ScorerReadyMs:0}")})[/]");
        return run;
    }

    /// <summary>Invokes the endpoint and waits for the job to complete; returns the job as shown at the end.</summary>
    private static async Task<JsonNode> InvokeAsync(BenchCli cli, string endpoint, string input)
    {
        var name = (string)JsonNode.Parse(await cli.RunAsync("batch-endpoint", "invoke", "-n", endpoint, "--input", input))!["name"]!;
        JsonNode shown = new JsonObject();
        await WaitAsync(async () =>
        {
            shown = JsonNode.Parse(await cli.RunAsync("job", "show", "-n", name))!;
            return (string)shown["status"]! is "Completed" or "Failed" or "Canceled";
        }, TimeSpan.FromMinutes(2), $"job {name}");
        return (string)shown["status"]! == "Completed"
            ? shown
            : throw new InvalidOperationException($"the benchmark job {name} ended {(string)shown["status"]!}: {(string?)shown["status_reason"]}");
    }

    private static async Task DeployAsync(BenchCli cli, string root, string endpoint, string modelFile, string? compute)
    {
        await File.WriteAllTextAsync(Path.Combine(root, $"{endpoint}.yml"), $"name: {endpoint}\n");
        await File.WriteAllTextAsync(Path.Combine(root, $"{endpoint}-deployment.yml"), $"""
            name: onnx
            endpoint_name: {endpoint}
            model:
              name: {endpoint}-model
              path: {modelFile}
            {(compute is null ? string.Empty : $"compute: azureml:{compute}")}
            resources:
              instance_count: 1
            settings:
              mini_batch_size: 1
              max_concurrency_per_instance: 1
            """);
        await cli.RunAsync("batch-endpoint", "create", "-f", Path.Combine(root, $"{endpoint}.yml"));
        await cli.RunAsync("batch-deployment", "create", "-f", Path.Combine(root, $"{endpoint}-deployment.yml"));
    }

    private static async Task CreateComputeAsync(BenchCli cli, string root, string name, int minInstances)
    {
        await File.WriteAllTextAsync(Path.Combine(root, $"{name}.yml"), $"""
            name: {name}
            type: amlcompute
            min_instances: {minInstances}
            max_instances: 1
            idle_time_before_scale_down: 1
            provisioner: local
            """);
        await cli.RunAsync("compute", "create", "-f", Path.Combine(root, $"{name}.yml"));
    }

    private static async Task<JsonArray> NodesAsync(BenchCli cli, string compute) =>
        JsonNode.Parse(await cli.RunAsync("compute", "list-nodes", "-n", compute, "-o", "json"))!.AsArray();

    /// <summary>
    /// The start-up of the node that served the run: the newest node log under the server's data folder, started after
    /// the invoke call. The node prints when its process started and how long it took to build its silo and join; its
    /// worker logs when the scorer was ready (milliseconds timestamps, this machine's local time).
    /// </summary>
    private static NodeStartup? NodeStartupOf(string dataDirectory, DateTime invokedAt)
    {
        var log = new DirectoryInfo(Path.Combine(dataDirectory, "nodes")).GetFiles("*.log").OrderByDescending(f => f.CreationTimeUtc).FirstOrDefault();
        if (log is null)
        {
            return null;
        }

        string text;
        using (var reader = new StreamReader(new FileStream(log.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite)))
        {
            text = reader.ReadToEnd();
        }

        var startup = Regex.Match(text, @"process started (?<at>\S+); silo built at (?<built>\d+) ms, joined at (?<joined>\d+) ms");
        if (!startup.Success)
        {
            return null;
        }

        var processStarted = DateTime.Parse(startup.Groups["at"].Value.TrimEnd('.'), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        var process = Ms(processStarted, invokedAt);
        var ready = Regex.Match(text, @"^(?<time>\d\d:\d\d:\d\d\.\d{3}) .*scorer ready in (?<ms>\d+) ms", RegexOptions.Multiline);
        double? readyMs = null, initMs = null;
        if (ready.Success)
        {
            var local = DateTime.ParseExact(ready.Groups["time"].Value, "HH:mm:ss.fff", CultureInfo.InvariantCulture);
            var processLocal = processStarted.ToLocalTime();
            var at = processLocal.Date + local.TimeOfDay;
            readyMs = Ms(at.ToUniversalTime(), invokedAt);
            initMs = double.Parse(ready.Groups["ms"].Value, CultureInfo.InvariantCulture);
        }

        return new NodeStartup(process, process + double.Parse(startup.Groups["built"].Value, CultureInfo.InvariantCulture), process + double.Parse(startup.Groups["joined"].Value, CultureInfo.InvariantCulture), readyMs, initMs);
    }

    private static DateTime? Time(JsonNode? value) =>
        (string?)value is { } text ? DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal) : null;

    private static double Ms(DateTime at, DateTime from) => (at - from).TotalMilliseconds;

    private static string Ms(double ms) => ms.ToString("0", CultureInfo.InvariantCulture);

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static async Task WaitAsync(Func<Task<bool>> done, TimeSpan timeout, string what)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!await done())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"gave up waiting for {what} after {timeout.TotalMinutes:0} min");
            }

            await Task.Delay(50);
        }
    }
}
