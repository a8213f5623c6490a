using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Spectre.Console;

namespace Sluice.Bench;

/// <summary>What one run of the many-files job measured, from the job's own records.</summary>
public sealed record MillionFilesResult(
    int Files,
    int MiniBatchSize,
    int Concurrency,
    double PlanSeconds,
    double DispatchedPerSecond,
    double CompletedPerSecond,
    double FinalizeSeconds,
    double TotalSeconds,
    long PeakCoordinatorBytes,
    string LoadAverage);

/// <summary>
/// Issue 8's benchmark (c): a job over a folder of 1,000,000 small files with a trivial scorer (it returns each file's
/// name), on a <c>sluice server</c> of its own process, so that the process's peak resident memory (VmHWM) is the job
/// coordinator's (with the two workers of the server's own silo). Every figure comes from the job's records in the
/// server's store, read after the job: planning is <c>planned_at − created_at</c>; a mini-batch's start is when the
/// coordinator dispatched it; <b>dispatched per second</b> is (mini-batches − 1) ÷ (last dispatch − first dispatch);
/// <b>completed per second</b> is mini-batches ÷ (last end − first dispatch); finalising (merging every committed
/// part into the output file) is the job's end − the last mini-batch's end; the total is the job's end − its creation.
/// The input folder is made once and kept in the temporary folder (sluice-bench-files-N) for later runs.
/// </summary>
public static class MillionFilesBenchmark
{
    /// <summary>bench/run's entry: <c>--files 1000000 --mini-batch 1 --concurrency 2</c>.</summary>
    public static async Task<IReadOnlyList<BenchFigure>> RunAsync(BenchArguments args)
    {
        var files = args.Int("--files", 1_000_000);
        var result = await MeasureAsync(files, args.Int("--mini-batch", 1), args.Int("--concurrency", 2));
        Print(result);
        var size = $"{files:N0} files";
        return
        [
            new("files", $"{size}: time to plan", $"{result.PlanSeconds:0.0} s", "-", null),
            new("files", $"{size}: mini-batches dispatched per second", result.DispatchedPerSecond.ToString("N0", CultureInfo.InvariantCulture), ">= 20,000", result.DispatchedPerSecond >= 20_000),
            new("files", $"{size}: mini-batches completed per second", result.CompletedPerSecond.ToString("N0", CultureInfo.InvariantCulture), "-", null),
            new("files", $"{size}: finalize (merge)", $"{result.FinalizeSeconds:0.0} s", "-", null),
            new("files", $"{size}: total", $"{result.TotalSeconds:0.0} s", "-", null),
            new("files", $"{size}: peak coordinator memory (RSS)", $"{result.PeakCoordinatorBytes >> 20} MB", "< 500 MB", result.PeakCoordinatorBytes < 500L << 20),
        ];
    }

    public static async Task<MillionFilesResult> MeasureAsync(int files, int miniBatchSize, int concurrency)
    {
        var input = await InputsAsync(files);
        var root = Directory.CreateTempSubdirectory("sluice-bench-files-run-");
        try
        {
            var code = Path.Combine(root.FullName, "code");
            Directory.CreateDirectory(code);
            var scorer = typeof(Scorers.FileNameScorer).Assembly.Location;
            File.Copy(scorer, Path.Combine(code, Path.GetFileName(scorer)));
            Directory.CreateDirectory(Path.Combine(root.FullName, "model"));
            await File.WriteAllTextAsync(Path.Combine(root.FullName, "model", "none.txt"), "no weights: the scorer returns file names");
            await File.WriteAllTextAsync(Path.Combine(root.FullName, "store.yml"), $"name: bench_files\ntype: local\npath: {input}\n");
            await File.WriteAllTextAsync(Path.Combine(root.FullName, "endpoint.yml"), "name: files\n");
            await File.WriteAllTextAsync(Path.Combine(root.FullName, "deployment.yml"), $"""
                name: file-names
                endpoint_name: files
                model:
                  name: files-none
                  path: model
                code_configuration:
                  code: code
                  scoring_script: {Path.GetFileName(scorer)}:{typeof(Scorers.FileNameScorer).FullName}
                settings:
                  mini_batch_size: {miniBatchSize}
                  max_concurrency_per_instance: {concurrency}
                """);

            await using var server = await ServerProcess.StartAsync(Path.Combine(root.FullName, "server"));
            var cli = new BenchCli(server.Url);
            await cli.RunAsync("datastore", "create", "-f", Path.Combine(root.FullName, "store.yml"));
            await cli.RunAsync("batch-endpoint", "create", "-f", Path.Combine(root.FullName, "endpoint.yml"));
            await cli.RunAsync("batch-deployment", "create", "-f", Path.Combine(root.FullName, "deployment.yml"));

            var name = (string)JsonNode.Parse(await cli.RunAsync("batch-endpoint", "invoke", "-n", "files", "--input", "azureml://datastores/bench_files/paths/files/"))!["name"]!;
            var clock = Stopwatch.StartNew();
            var load = string.Empty;
            JsonNode shown;
            while (true)
            {
                shown = JsonNode.Parse(await cli.RunAsync("job", "show", "-n", name))!;
                if ((string)shown["status"]! is "Completed" or "Failed" or "Canceled")
                {
                    break;
                }

                // The load while the job runs, not after: the machine is shared.
                load = LoadAverage();
                if (clock.Elapsed > TimeSpan.FromMinutes(30))
                {
                    throw new TimeoutException($"the benchmark job {name} did not end within 30 minutes");
                }

                // Not more often: every figure comes from the job's records, and each job show costs the server work.
                await Task.Delay(3000);
            }

            var (_, peak) = server.Memory();
            if ((string)shown["status"]! != "Completed" || (long)shown["progress"]!["items"]!["succeeded"]! != files)
            {
                throw new InvalidOperationException($"the benchmark job {name} ended {(string)shown["status"]!}: {(string?)shown["status_reason"]}\n{server.Log}");
            }

            return Read(server.DataDirectory, name, files, miniBatchSize, concurrency, peak, load);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    public static void Print(MillionFilesResult r)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("files").AddColumn("mini-batch").AddColumn("time to plan").AddColumn("dispatched/s").AddColumn("completed/s")
            .AddColumn("finalize").AddColumn("total").AddColumn("peak coordinator RSS");
        table.AddRow(
            r.Files.ToString("N0", CultureInfo.InvariantCulture), $"{r.MiniBatchSize} file(s)", $"{r.PlanSeconds:0.0} s",
            r.DispatchedPerSecond.ToString("N0", CultureInfo.InvariantCulture), r.CompletedPerSecond.ToString("N0", CultureInfo.InvariantCulture),
            $"{r.FinalizeSeconds:0.0} s", $"{r.TotalSeconds:0.0} s", $"{r.PeakCoordinatorBytes >> 20} MB");
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(Markup.Escape($"Trivial scorer (file names); {r.Concurrency} workers on the server's own silo; load average during the job {r.LoadAverage}; {Environment.ProcessorCount} cores."));
    }

    /// <summary>The input folder, made once per size (small files written in parallel) and kept for later runs.</summary>
    private static async Task<string> InputsAsync(int files)
    {
        var root = Path.Combine(Path.GetTempPath(), $"sluice-bench-files-{files}");
        var data = Path.Combine(root, "data");
        var complete = Path.Combine(root, "complete");
        if (File.Exists(complete))
        {
            return data;
        }

        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }

        var folder = Path.Combine(data, "files");
        Directory.CreateDirectory(folder);
        var clock = Stopwatch.StartNew();
        byte[] content = [(byte)'1', (byte)'\n'];
        Parallel.For(0, files, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount * 2 }, i =>
        {
            using var file = new FileStream(Path.Combine(folder, $"f{i:D7}.txt"), FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
            file.Write(content);
        });
        await File.WriteAllTextAsync(complete, $"{files}\n");
        AnsiConsole.MarkupLine($"[grey]made {files:N0} input files in {clock.Elapsed.TotalSeconds:0} s ({root}; kept for later runs)[/]");
        return data;
    }

    private static MillionFilesResult Read(string dataDirectory, string job, int files, int miniBatchSize, int concurrency, long peak, string load)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "sluice.db")};Mode=ReadOnly");
        connection.Open();
        using var jobs = connection.CreateCommand();
        jobs.CommandText = """SELECT "CreatedAt", "PlannedAt", "EndedAt" FROM "jobs" WHERE "Name" = @job""";
        jobs.Parameters.AddWithValue("@job", job);
        DateTime created, planned, ended;
        using (var reader = jobs.ExecuteReader())
        {
            if (!reader.Read())
            {
                throw new InvalidOperationException($"job {job} is not in the store");
            }

            (created, planned, ended) = (Time(reader.GetString(0)), Time(reader.GetString(1)), Time(reader.GetString(2)));
        }

        using var batches = connection.CreateCommand();
        batches.CommandText = """SELECT COUNT(*), COUNT("StartedAt"), MIN("StartedAt"), MAX("StartedAt"), MAX("EndedAt") FROM "mini_batches" WHERE "Job" = @job""";
        batches.Parameters.AddWithValue("@job", job);
        using var stats = batches.ExecuteReader();
        stats.Read();
        var (count, withStart) = (stats.GetInt64(0), stats.GetInt64(1));
        if (withStart != count)
        {
            throw new InvalidOperationException($"{count - withStart} of {count} mini-batches have no dispatch time");
        }

        var (first, last, lastEnd) = (Time(stats.GetString(2)), Time(stats.GetString(3)), Time(stats.GetString(4)));
        return new MillionFilesResult(
            files,
            miniBatchSize,
            concurrency,
            (planned - created).TotalSeconds,
            (count - 1) / Math.Max(1e-3, (last - first).TotalSeconds),
            count / Math.Max(1e-3, (lastEnd - first).TotalSeconds),
            (ended - lastEnd).TotalSeconds,
            (ended - created).TotalSeconds,
            peak,
            load);
    }

    private static DateTime Time(string text) => DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    /// <summary><c>sluice server</c> in a process of its own, whose memory is read from /proc.</summary>
    private sealed class ServerProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly Queue<string> _log = new();

        private ServerProcess(Process process, string url, string dataDirectory) => (_process, Url, DataDirectory) = (process, url, dataDirectory);

        public string Url { get; }

        public string DataDirectory { get; }

        /// <summary>The server's last lines of output.</summary>
        public string Log
        {
            get
            {
                lock (_log)
                {
                    return string.Join('\n', _log);
                }
            }
        }

        public static async Task<ServerProcess> StartAsync(string dataDirectory)
        {
            using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
            listener.Start();
            var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            var url = $"http://127.0.0.1:{port}";
            var start = new ProcessStartInfo("dotnet")
            {
                ArgumentList = { Path.Combine(AppContext.BaseDirectory, "sluice.dll"), "server", "--data-dir", dataDirectory, "--urls", url },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            var process = Process.Start(start) ?? throw new InvalidOperationException("could not start sluice server");
            var server = new ServerProcess(process, url, dataDirectory);
            process.OutputDataReceived += (_, e) => server.Keep(e.Data);
            process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(120))
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"sluice server exited with {process.ExitCode} during start-up:\n{server.Log}");
                }

                try
                {
                    using var response = await http.GetAsync(new Uri($"{url}/health"));
                    if (response.IsSuccessStatusCode)
                    {
                        return server;
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    // Not listening yet, or a cold server on a busy machine slower than one attempt's timeout.
                }

                await Task.Delay(100);
            }

            await server.DisposeAsync();
            throw new TimeoutException("sluice server did not become healthy within 120 s");
        }

        /// <summary>The process's resident memory now and at its peak (VmRSS, VmHWM), in bytes.</summary>
        public (long Current, long Peak) Memory()
        {
            var status = File.ReadAllLines($"/proc/{_process.Id}/status");
            long Read(string key) => long.Parse(status.Single(l => l.StartsWith(key, StringComparison.Ordinal)).Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            return (Read("VmRSS:"), Read("VmHWM:"));
        }

        private void Keep(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_log)
            {
                _log.Enqueue(line);
                if (_log.Count > 200)
                {
                    _log.Dequeue();
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
                {
                    await term.WaitForExitAsync();
                }

                if (!_process.WaitForExit(TimeSpan.FromSeconds(20)))
                {
                    _process.Kill(entireProcessTree: true);
                    await _process.WaitForExitAsync();
                }
            }

            _process.Dispose();
        }
    }
}
