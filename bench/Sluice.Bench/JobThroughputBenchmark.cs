using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Sluice.Scoring.Output;
using Sluice.Scoring.Synthetic;
using Sluice.Scoring.Tabular;
using Spectre.Console;

namespace Sluice.Bench;

/// <summary>One model's measurement: the same files scored by a Sluice job and by a plain loop, alternately.</summary>
public sealed record ThroughputResult(string Model, int Rows, int Files, int Threads, double SluiceRowsPerSecond, double PlainRowsPerSecond)
{
    public double Ratio => SluiceRowsPerSecond / PlainRowsPerSecond;
}

/// <summary>
/// Sluice job throughput against a plain ONNX Runtime loop with the same threads over the same CSV files: the loop
/// reads each file with the same reader, runs the same shared session in the same 1,024-row batches, and writes the
/// same CSV rows. The job additionally plans, dispatches through Orleans, commits each mini-batch and merges the output
/// — the overhead this benchmark measures. Runs alternate (job, loop, job, loop…) and each side keeps its best time.
/// </summary>
public static class JobThroughputBenchmark
{
    private const int Files = 20;

    /// <summary>
    /// bench/run's entry: <c>--rows 1000000 --repeat 3 --model all|logistic|mlp</c>; the goal is a ratio of at least
    /// 0.95 for every model.
    /// </summary>
    public static async Task<IReadOnlyList<BenchFigure>> RunAsync(BenchArguments args)
    {
        var rows = args.Int("--rows", 1_000_000);
        var model = args.Text("--model", "all");
        var results = await MeasureAsync(rows, args.Int("--repeat", 3), model);
        Print(results, rows);
        return [.. results.Select(r => new BenchFigure("tabular", $"{r.Model}, {r.Rows:N0} rows: job / plain loop", r.Ratio.ToString("0.00", CultureInfo.InvariantCulture), ">= 0.95", r.Ratio >= 0.95))];
    }

    public static async Task<IReadOnlyList<ThroughputResult>> MeasureAsync(int rows, int repeat, string model = "all")
    {
        var models = Models().Where(m => model == "all" || m.Key == model).ToList();
        if (models.Count == 0)
        {
            throw new ArgumentException($"unknown model '{model}'; choose from: all, {string.Join(", ", Models().Select(m => m.Key))}", nameof(model));
        }

        var root = Directory.CreateTempSubdirectory("sluice-bench-");
        try
        {
            var results = new List<ThroughputResult>();
            foreach (var benchModel in models)
            {
                results.Add(await MeasureAsync(root.FullName, benchModel, rows, repeat));
            }

            return results;
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

    public static void Print(IReadOnlyList<ThroughputResult> results, int rows)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("model").AddColumn("rows").AddColumn("files").AddColumn("threads")
            .AddColumn("Sluice job rows/s").AddColumn("plain loop rows/s").AddColumn("ratio");
        foreach (var r in results)
        {
            table.AddRow(r.Model, r.Rows.ToString("N0", CultureInfo.InvariantCulture), r.Files.ToString(CultureInfo.InvariantCulture), r.Threads.ToString(CultureInfo.InvariantCulture),
                r.SluiceRowsPerSecond.ToString("N0", CultureInfo.InvariantCulture), r.PlainRowsPerSecond.ToString("N0", CultureInfo.InvariantCulture), r.Ratio.ToString("0.00", CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"{Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}, ONNX Runtime {OrtEnv.Instance().GetVersionString()}; {rows:N0} rows per model.");
    }

    private sealed record BenchModel(string Key, string Name, int Features, Func<byte[]> Build);

    private static IEnumerable<BenchModel> Models()
    {
        yield return new("logistic", "quickstart logistic regression (8 → 3)", 8, () =>
        {
            var data = TabularDataset.Generate(2000, 8, 3, seed: 2026);
            return SyntheticModels.LogisticRegression(LogisticRegressionTrainer.Fit(data, seed: 1));
        });
        yield return new("mlp", "MLP (64 → 512 → 512 → 512 → 10)", 64, () => SyntheticModels.Mlp(features: 64, hidden: 512, classes: 10, seed: 3, hiddenLayers: 3));
    }

    private static async Task<ThroughputResult> MeasureAsync(string root, BenchModel model, int rows, int repeat)
    {
        var folder = Path.Combine(root, model.Features.ToString(CultureInfo.InvariantCulture));
        var dataFolder = Path.Combine(folder, "data");
        var modelFile = Path.Combine(folder, "model", "model.onnx");
        Directory.CreateDirectory(Path.GetDirectoryName(modelFile)!);
        await File.WriteAllBytesAsync(modelFile, model.Build());
        CsvDatasetWriter.Write(TabularDataset.Stream(rows, model.Features, 3, seed: 5), rows, model.Features, dataFolder, new CsvDatasetOptions { Files = Files, IncludeLabel = false });

        // Two workers on two cores, one intra-op thread each: the arrangement NOTES.md measured as the machine's best.
        var threads = Environment.ProcessorCount;
        var sluice = double.MaxValue;
        var plain = double.MaxValue;
        await using var server = await BenchServer.StartAsync(Path.Combine(folder, "server"), folder, $"""
            name: onnx
            endpoint_name: bench
            model:
              name: bench-model
              path: {modelFile}
            settings:
              mini_batch_size: 1
              max_concurrency_per_instance: {threads}
            """);
        for (var i = 0; i < repeat; i++)
        {
            sluice = Math.Min(sluice, (await server.RunJobAsync(dataFolder, Files)).Seconds);
            plain = Math.Min(plain, PlainLoop(modelFile, dataFolder, Path.Combine(folder, $"plain-{i}.csv"), threads));
        }

        return new ThroughputResult(model.Name, rows, Files, threads, rows / sluice, rows / plain);
    }

    /// <summary>
    /// The baseline: what a careful hand-written program does with the same threads — each thread reads a file with
    /// the same reader, fills one pinned input tensor per 1,024 rows, lets ONNX Runtime write the outputs into buffers
    /// of its own, and encodes the same CSV rows with the same writer; the parts are then written to one output file
    /// in input order. Nothing around it: no datastore, no staging parts, no merge. Returns seconds.
    /// </summary>
    private static double PlainLoop(string modelFile, string dataFolder, string output, int threads)
    {
        var stopwatch = Stopwatch.StartNew();
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        using var session = new InferenceSession(modelFile, options);
        string[] inputNames = [session.InputMetadata.Keys.Single()];
        string[] outputNames = ["label", "probabilities"];
        var classes = session.OutputMetadata["probabilities"].Dimensions[1];
        string[] columns = ["row", "prediction", .. Enumerable.Range(0, classes).Select(k => $"probability_{k}"), "file_name"];
        var files = Directory.GetFiles(dataFolder).Order(StringComparer.Ordinal).ToArray();
        var parts = new MiniBatchOutput[files.Length];
        var next = -1;
        var workers = Enumerable.Range(0, threads).Select(_ => Task.Factory.StartNew(
            () =>
            {
                const int batch = 1024;
                float[]? input = null;
                var labels = new long[batch];
                var probabilities = new float[batch * classes];
                using var runOptions = new RunOptions();
                int f;
                while ((f = Interlocked.Increment(ref next)) < files.Length)
                {
                    var table = CsvTableReader.ReadPooled(files[f], CancellationToken.None);
                    var width = table.Columns.Count;
                    input ??= new float[batch * width];
                    var name = Path.GetFileName(files[f]);
                    var part = parts[f] = new MiniBatchOutput();
                    part.SetColumns(columns);
                    for (var start = 0; start < table.Rows; start += batch)
                    {
                        var count = Math.Min(batch, table.Rows - start);
                        table.Values.AsSpan(start * width, count * width).CopyTo(input);
                        using var inputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, input.AsMemory(0, count * width), [count, width]);
                        using var labelValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, labels.AsMemory(0, count), [count]);
                        using var probabilityValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, probabilities.AsMemory(0, count * classes), [count, classes]);
                        session.Run(runOptions, inputNames, [inputValue], outputNames, [labelValue, probabilityValue]);
                        for (var r = 0; r < count; r++)
                        {
                            part.BeginRow();
                            part.Field((long)(start + r));
                            part.Field(labels[r]);
                            for (var k = 0; k < classes; k++)
                            {
                                part.Field(probabilities[(r * classes) + k]);
                            }

                            part.Field(name);
                            part.EndRow();
                        }
                    }

                    table.ReturnBuffer();
                }
            },
            TaskCreationOptions.LongRunning)).ToArray();
        Task.WaitAll(workers);

        // One header, then every file's rows in input order: the same bytes as the job's output file.
        using (var file = new FileStream(output, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            for (var f = 0; f < parts.Length; f++)
            {
                using var part = parts[f];
                using var bytes = new MemoryStream();
                part.CopyToAsync(bytes, CancellationToken.None).GetAwaiter().GetResult();
                var span = bytes.GetBuffer().AsSpan(0, (int)bytes.Length);
                file.Write(f == 0 ? span : span[(span.IndexOf((byte)'\n') + 1)..]);
            }
        }

        return stopwatch.Elapsed.TotalSeconds;
    }
}
