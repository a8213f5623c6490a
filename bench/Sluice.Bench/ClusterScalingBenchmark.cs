using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Sluice.Server.Hosting;
using Spectre.Console;

namespace Sluice.Bench;

/// <summary>Throughput of one job on a cluster of <see cref="Nodes"/> local nodes; efficiency against the 1-node run of the same session.</summary>
public sealed record ScalingResult(int Nodes, int Files, double Seconds, double FilesPerSecond, double Efficiency);

/// <summary>
/// How a job's throughput grows with the nodes of its cluster, for an I/O-bound scorer (it sleeps per file, as a
/// scorer calling a remote model service does). For each size the local provisioner starts the nodes first
/// (<c>min_instances</c> = <c>max_instances</c> = n), and the job is timed from the invoke call to the end time it
/// records. Efficiency is throughput(n) / (n × throughput(1)), all measured in one run on this machine.
/// </summary>
public static class ClusterScalingBenchmark
{
    /// <summary>bench/run's entry: <c>--nodes 1,2,4 --files 800 --sleep-ms 50 --concurrency 2 --mini-batch 10</c>.</summary>
    public static async Task<IReadOnlyList<BenchFigure>> RunAsync(BenchArguments args)
    {
        var sizes = args.Text("--nodes", "1,2,4").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
        var sleepMs = args.Int("--sleep-ms", 50);
        var concurrency = args.Int("--concurrency", 2);
        var miniBatch = args.Int("--mini-batch", 10);
        var results = await MeasureAsync(sizes, args.Int("--files", 800), sleepMs, concurrency, miniBatch);
        Print(results, sleepMs, concurrency, miniBatch);
        return [.. results.Select(r => new BenchFigure("scaling", $"{r.Nodes} node(s): files/s (efficiency vs 1 node)", $"{r.FilesPerSecond:0.0} ({r.Efficiency:0.00})", "-", null))];
    }

    public static async Task<IReadOnlyList<ScalingResult>> MeasureAsync(IReadOnlyList<int> sizes, int files, int sleepMs, int concurrency, int miniBatch)
    {
        var root = Directory.CreateTempSubdirectory("sluice-bench-scaling-");
        try
        {
            var inputs = Path.Combine(root.FullName, "inputs");
            Directory.CreateDirectory(inputs);
            for (var i = 0; i < files; i++)
            {
                await File.WriteAllTextAsync(Path.Combine(inputs, $"item-{i:D5}.txt"), $"item {i}\n");
            }

            var code = Path.Combine(root.FullName, "code");
            Directory.CreateDirectory(code);
            var scorer = typeof(Scorers.SleepingScorer).Assembly.Location;
            File.Copy(scorer, Path.Combine(code, Path.GetFileName(scorer)));
            Directory.CreateDirectory(Path.Combine(root.FullName, "model"));
            await File.WriteAllTextAsync(Path.Combine(root.FullName, "model", "none.txt"), "no weights: the scorer sleeps");

            var app = SluiceServer.Build(
                new SluiceServerOptions { DataDirectory = Path.Combine(root.FullName, "server"), Urls = "http://127.0.0.1:0" },
                l => l.SetMinimumLevel(LogLevel.Warning).AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning));
            await SluiceServer.StartAsync(app);
            try
            {
                var cli = new BenchCli(app.Urls.First());
                var upload = JsonNode.Parse(await cli.RunAsync("data", "create", "-n", "scaling-inputs", "--path", inputs))!;
                var results = new List<ScalingResult>();
                foreach (var size in sizes)
                {
                    var seconds = await MeasureOneAsync(cli, root.FullName, size, (string)upload["path"]!, files, sleepMs, concurrency, miniBatch);
                    var throughput = files / seconds;
                    var single = results.Count > 0 && results[0].Nodes == 1 ? results[0].FilesPerSecond : throughput / size;
                    results.Add(new ScalingResult(size, files, seconds, throughput, throughput / (size * single)));
                    AnsiConsole.MarkupLine($"[grey]{size} node(s): {seconds:0.00} s, {throughput:0.0} files/s[/]");
                }

                return results;
            }
            finally
            {
                await app.StopAsync();
                await app.DisposeAsync();
            }
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    public static void Print(IReadOnlyList<ScalingResult> results, int sleepMs, int concurrency, int miniBatch)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("nodes").AddColumn("files").AddColumn("seconds").AddColumn("files/s").AddColumn("ideal files/s").AddColumn("scaling efficiency");
        foreach (var r in results)
        {
            var ideal = r.Nodes * concurrency * 1000.0 / sleepMs;
            table.AddRow(
                r.Nodes.ToString(CultureInfo.InvariantCulture), r.Files.ToString("N0", CultureInfo.InvariantCulture), r.Seconds.ToString("0.00", CultureInfo.InvariantCulture),
                r.FilesPerSecond.ToString("0.0", CultureInfo.InvariantCulture), ideal.ToString("0.0", CultureInfo.InvariantCulture), r.Efficiency.ToString("0.00", CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"Scorer sleeps {sleepMs} ms per file; {concurrency} workers per node; {miniBatch} files per mini-batch; {Environment.ProcessorCount} cores, .NET {Environment.Version}.");
    }

    private static async Task<double> MeasureOneAsync(BenchCli cli, string root, int size, string inputs, int files, int sleepMs, int concurrency, int miniBatch)
    {
        var cluster = $"bench-{size}";
        var endpoint = $"scaling-{size}";
        await File.WriteAllTextAsync(Path.Combine(root, $"{cluster}.yml"), $"""
            name: {cluster}
            type: amlcompute
            min_instances: {size}
            max_instances: {size}
            idle_time_before_scale_down: 1
            provisioner: local
            """);
        await File.WriteAllTextAsync(Path.Combine(root, $"{endpoint}.yml"), $"name: {endpoint}\n");
        await File.WriteAllTextAsync(Path.Combine(root, $"{endpoint}-deployment.yml"), $"""
            name: sleeping
            endpoint_name: {endpoint}
            model:
              name: {endpoint}-none
              path: model
            code_configuration:
              code: code
              scoring_script: {Path.GetFileName(typeof(Scorers.SleepingScorer).Assembly.Location)}:{typeof(Scorers.SleepingScorer).FullName}
            compute: azureml:{cluster}
            resources:
              instance_count: {size}
            settings:
              mini_batch_size: {miniBatch}
              max_concurrency_per_instance: {concurrency}
              environment_variables:
                SLEEP_MS: "{sleepMs}"
            """);
        await cli.RunAsync("compute", "create", "-f", Path.Combine(root, $"{cluster}.yml"));
        await cli.RunAsync("batch-endpoint", "create", "-f", Path.Combine(root, $"{endpoint}.yml"));
        await cli.RunAsync("batch-deployment", "create", "-f", Path.Combine(root, $"{endpoint}-deployment.yml"));

        // The nodes start before the clock does: this measures scoring on n nodes, not n node start-ups.
        await WaitAsync(async () => JsonNode.Parse(await cli.RunAsync("compute", "list-nodes", "-n", cluster, "-o", "json"))!.AsArray()
            .Count(n => (string)n!["state"]! == "idle") == size, TimeSpan.FromMinutes(3), $"{size} nodes of {cluster} to start");

        var invokedAt = DateTime.UtcNow;
        var name = (string)JsonNode.Parse(await cli.RunAsync("batch-endpoint", "invoke", "-n", endpoint, "--input", inputs))!["name"]!;
        JsonNode shown = new JsonObject();
        await WaitAsync(async () =>
        {
            shown = JsonNode.Parse(await cli.RunAsync("job", "show", "-n", name))!;
            return (string)shown["status"]! is "Completed" or "Failed" or "Canceled";
        }, TimeSpan.FromMinutes(30), $"job {name}");
        if ((string)shown["status"]! != "Completed" || (long)shown["progress"]!["items"]!["succeeded"]! != files)
        {
            throw new InvalidOperationException($"the benchmark job {name} ended {(string)shown["status"]!}: {(string?)shown["status_reason"]}");
        }

        var ended = DateTime.Parse((string)shown["end_time"]!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

        // Release the nodes before the next size starts its own.
        await cli.RunAsync("compute", "update", "-n", cluster, "--min-instances", "0");
        await WaitAsync(async () => JsonNode.Parse(await cli.RunAsync("compute", "list-nodes", "-n", cluster, "-o", "json"))!.AsArray().Count == 0, TimeSpan.FromMinutes(2), $"the nodes of {cluster} to stop");
        return (ended - invokedAt).TotalSeconds;
    }

    private static async Task WaitAsync(Func<Task<bool>> done, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await done())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"gave up waiting for {what} after {timeout.TotalMinutes:0} min");
            }

            await Task.Delay(200);
        }
    }
}
