using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Sluice.Scoring.Synthetic;
using Spectre.Console;

namespace Sluice.Bench;

/// <summary>One job of the benchmark: its rows, how long it took, and the server's peak resident memory.</summary>
public sealed record RowsResult(long Rows, double Seconds, long PeakBytes, long OutputBytes)
{
    public double RowsPerSecond => Rows / Seconds;
}

/// <summary>
/// A very large tabular job on a <c>sluice server</c> of its own (a separate process, so its peak resident memory —
/// <c>VmHWM</c> in <c>/proc/&lt;pid&gt;/status</c> — is the job's and nothing else's): rows per second, and peak memory
/// against a job a tenth of its size on a fresh server. "Memory independent of input size" is met when ten times the
/// rows cost at most 1.2 times the peak memory (what remains is the fixed cost of the server and its caches).
/// </summary>
/// <remarks>
/// The input is ten distinct CSV files (100,000 rows each by default), generated once and hard-linked as many times
/// as the size needs: 100,000,000 rows take the disk space of 1,000,000. They sit in a <c>local</c> datastore, so the job
/// reads them in place (no upload). The job's output is deleted after each run.
/// </remarks>
public static class HundredMillionRowsBenchmark
{
    private const int Features = 8;

    /// <summary>
    /// bench/run's entry: <c>--rows 100000000 --compare 10000000 --file-rows 100000</c> with the logistic model. Files
    /// of 100,000 rows keep the buffers of the mini-batches in flight small beside what is measured.
    /// </summary>
    public static async Task<IReadOnlyList<BenchFigure>> RunAsync(BenchArguments args)
    {
        var rows = args.Long("--rows", 100_000_000);
        var compare = args.Long("--compare", rows / 10);
        var fileRows = args.Int("--file-rows", 100_000);
        var root = Directory.CreateTempSubdirectory("sluice-bench-rows-");
        try
        {
            var clock = Stopwatch.StartNew();
            var distinct = GenerateFiles(root.FullName, fileRows, (int)Math.Min(10, Math.Max(1, rows / fileRows)));
            Console.Error.WriteLine($"generated {distinct.Count} files of {fileRows:N0} rows in {clock.Elapsed.TotalSeconds:0} s");
            var model = Path.Combine(root.FullName, "model", "model.onnx");
            Directory.CreateDirectory(Path.GetDirectoryName(model)!);
            var data = TabularDataset.Generate(2000, Features, 3, seed: 2026);
            await File.WriteAllBytesAsync(model, SyntheticModels.LogisticRegression(LogisticRegressionTrainer.Fit(data, seed: 1)));

            var small = await MeasureAsync(root.FullName, model, distinct, compare, fileRows);
            var large = await MeasureAsync(root.FullName, model, distinct, rows, fileRows);
            Print([small, large]);
            var ratio = (double)large.PeakBytes / small.PeakBytes;
            return
            [
                new BenchFigure("rows", $"{large.Rows:N0}-row job: rows/s", large.RowsPerSecond.ToString("N0", CultureInfo.InvariantCulture), "-", null),
                new BenchFigure("rows", $"peak memory, {large.Rows:N0} vs {small.Rows:N0} rows ({large.PeakBytes >> 20} vs {small.PeakBytes >> 20} MB)", ratio.ToString("0.00", CultureInfo.InvariantCulture), "<= 1.2", ratio <= 1.2),
            ];
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    private static void Print(IReadOnlyList<RowsResult> results)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("rows").AddColumn("seconds").AddColumn("rows/s").AddColumn("server peak RSS").AddColumn("output");
        foreach (var r in results)
        {
            table.AddRow(r.Rows.ToString("N0", CultureInfo.InvariantCulture), r.Seconds.ToString("0.0", CultureInfo.InvariantCulture), r.RowsPerSecond.ToString("N0", CultureInfo.InvariantCulture),
                $"{r.PeakBytes >> 20} MB", $"{r.OutputBytes >> 20} MB");
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"{Environment.ProcessorCount} cores, logistic regression ({Features} → 3), 2 workers with one intra-op thread each, one file per mini-batch.");
    }

    private static List<string> GenerateFiles(string root, int fileRows, int count)
    {
        var folder = Path.Combine(root, "distinct");
        var rows = checked(fileRows * count);
        return [.. CsvDatasetWriter.Write(TabularDataset.Stream(rows, Features, 3, seed: 5), rows, Features, folder, new CsvDatasetOptions { Files = count, IncludeLabel = false }).DataFiles];
    }

    private static async Task<RowsResult> MeasureAsync(string root, string model, List<string> distinct, long rows, int fileRows)
    {
        // The input folder: rows / fileRows hard links to the distinct files, in turn.
        var name = $"in-{rows}";
        var input = Directory.CreateDirectory(Path.Combine(root, name)).FullName;
        var files = (int)(rows / fileRows);
        for (var i = 0; i < files; i++)
        {
            HardLink(distinct[i % distinct.Count], Path.Combine(input, $"part-{i:D5}.csv"));
        }

        var dataDirectory = Path.Combine(root, $"server-{rows}");
        await using var server = await ServerProcess.StartAsync(dataDirectory);
        try
        {
            var cli = new BenchCli(server.Url);
            var project = Directory.CreateDirectory(Path.Combine(root, $"specs-{rows}")).FullName;
            await File.WriteAllTextAsync(Path.Combine(project, "datastore.yml"), $"name: benchrows\ntype: local\npath: {root}\n");
            await File.WriteAllTextAsync(Path.Combine(project, "endpoint.yml"), "name: rows\n");
            await File.WriteAllTextAsync(Path.Combine(project, "deployment.yml"), $"""
                name: onnx
                endpoint_name: rows
                model:
                  name: rows-model
                  path: {model}
                settings:
                  mini_batch_size: 1
                  max_concurrency_per_instance: {Environment.ProcessorCount}
                """);
            await cli.RunAsync("datastore", "create", "-f", Path.Combine(project, "datastore.yml"));
            await cli.RunAsync("batch-endpoint", "create", "-f", Path.Combine(project, "endpoint.yml"));
            await cli.RunAsync("batch-deployment", "create", "-f", Path.Combine(project, "deployment.yml"));

            var invokedAt = DateTime.UtcNow;
            var job = JsonNode.Parse(await cli.RunAsync("batch-endpoint", "invoke", "-n", "rows", "--input", $"azureml://datastores/benchrows/paths/{name}", "--job-name", $"rows-{rows}"))!;
            var jobName = (string)job["name"]!;
            while (true)
            {
                await Task.Delay(500);
                var shown = JsonNode.Parse(await cli.RunAsync("job", "show", "-n", jobName))!;
                var status = (string)shown["status"]!;
                if (status is "Failed" or "Canceled")
                {
                    throw new InvalidOperationException($"the {rows:N0}-row job ended {status}: {(string?)shown["status_reason"]}");
                }

                if (status is "Completed")
                {
                    var ended = DateTime.Parse((string)shown["end_time"]!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
                    var succeeded = (long)shown["progress"]!["items"]!["succeeded"]!;
                    if (succeeded != files)
                    {
                        throw new InvalidOperationException($"the job scored {succeeded} of {files} files");
                    }

                    var peak = server.PeakResidentBytes();
                    var output = Directory.EnumerateFiles(dataDirectory, "*.csv", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
                    var result = new RowsResult(rows, (ended - invokedAt).TotalSeconds, peak, output);
                    Console.Error.WriteLine($"{rows:N0} rows: {result.Seconds:0.0} s, {result.RowsPerSecond:N0} rows/s, peak RSS {peak >> 20} MB");
                    return result;
                }
            }
        }
        finally
        {
            await server.DisposeAsync();
            Directory.Delete(dataDirectory, recursive: true);
            Directory.Delete(input, recursive: true);
        }
    }

    private static void HardLink(string existing, string link)
    {
        if (NativeMethods.link(existing, link) != 0)
        {
            throw new IOException($"cannot hard-link {link} to {existing} (errno {Marshal.GetLastPInvokeError()})");
        }
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
#pragma warning disable CA5392, SYSLIB1054 // libc is the system's; a source-generated stub would add nothing here
        internal static extern int link(string oldpath, string newpath);
#pragma warning restore CA5392, SYSLIB1054
    }

    /// <summary><c>sluice server</c> in a process of its own, on a free loopback port, stopped with SIGTERM.</summary>
    private sealed class ServerProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private int _disposed;

        private ServerProcess(Process process, string url) => (_process, Url) = (process, url);

        public string Url { get; }

        public static async Task<ServerProcess> StartAsync(string dataDirectory)
        {
            var url = $"http://127.0.0.1:{FreePort()}";
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "sluice.dll"), "server", "--data-dir", dataDirectory, "--urls", url, "--silo-port", "0", "--gateway-port", "0" })
            {
                start.ArgumentList.Add(arg);
            }

            var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start sluice server");
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is not null && Environment.GetEnvironmentVariable("SLUICE_BENCH_TRACE") is not null)
                {
                    Console.Error.WriteLine($"server: {e.Data}");
                }
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var server = new ServerProcess(process, url);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            var deadline = Stopwatch.StartNew();
            while (true)
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"sluice server exited with code {process.ExitCode} at start");
                }

                try
                {
                    if ((await http.GetAsync(new Uri($"{url}/health"))).StatusCode == HttpStatusCode.OK)
                    {
                        return server;
                    }
                }
                catch (HttpRequestException)
                {
                }
                catch (TaskCanceledException)
                {
                }

                if (deadline.Elapsed > TimeSpan.FromMinutes(2))
                {
                    await server.DisposeAsync();
                    throw new TimeoutException("sluice server did not answer /health within 2 minutes");
                }

                await Task.Delay(200);
            }
        }

        /// <summary>The process's peak resident set size so far (VmHWM).</summary>
        public long PeakResidentBytes()
        {
            foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
                }
            }

            throw new InvalidOperationException("no VmHWM in /proc status");
        }

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }

            if (!_process.HasExited)
            {
                // SIGTERM: the server stops gracefully; kill it if it does not within 30 s.
                _ = NativeSignals.kill(_process.Id, 15);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                try
                {
                    await _process.WaitForExitAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill(entireProcessTree: true);
                    await _process.WaitForExitAsync();
                }
            }

            _process.Dispose();
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }

    private static class NativeSignals
    {
        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
#pragma warning disable CA5392, SYSLIB1054
        internal static extern int kill(int pid, int signal);
#pragma warning restore CA5392, SYSLIB1054
    }
}
