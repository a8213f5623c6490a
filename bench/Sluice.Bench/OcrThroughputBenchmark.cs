using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Samples.Ocr;
using Sluice.Scoring.Output;
using Spectre.Console;

namespace Sluice.Bench;

/// <summary>The OCR measurement: images per second of the job and of the plain loop, and each side's character accuracy.</summary>
public sealed record OcrThroughputResult(int Images, int Threads, int MiniBatchSize, double JobImagesPerSecond, double PlainImagesPerSecond, double JobAccuracy, double PlainAccuracy)
{
    public double Ratio => JobImagesPerSecond / PlainImagesPerSecond;
}

/// <summary>
/// A Sluice job with the OCR sample's scorer (samples/ocr) against a plain ONNX Runtime loop with the same threads over
/// the same rendered text-line images: the loop decodes, preprocesses, recognises and CTC-decodes each image with the
/// same <see cref="OcrRecognizer"/> (one per thread, one shared session of 1 intra-op thread, as the job's workers
/// have) and writes the same CSV rows. The job additionally plans, dispatches mini-batches through Orleans, copies
/// each input from the datastore, commits each mini-batch and merges the output. Runs alternate (job, loop, job,
/// loop…) after one warm-up of each over as many other images (the first job also builds the scorer project); each
/// side keeps its best time.
/// Both sides' outputs are checked against the rendered words, so speed is never bought with wrong answers.
/// </summary>
public static class OcrThroughputBenchmark
{
    /// <summary>
    /// bench/run's entry: <c>--images 800 --repeat 4 --mini-batch 20</c>; goals: ratio >= 0.95, accuracy >= 0.90. Forty
    /// mini-batches split evenly over the two workers; with 32 images per mini-batch (25 of them) one worker runs the last
    /// alone while the other core idles, which the per-image loop never does (docs/benchmarks.md measures both).
    /// </summary>
    public static async Task<IReadOnlyList<BenchFigure>> RunAsync(BenchArguments args)
    {
        var result = await MeasureAsync(args.Int("--images", 800), args.Int("--repeat", 4), args.Int("--mini-batch", 20));
        Print(result);
        return
        [
            new BenchFigure("ocr", $"PaddleOCR recognition, {result.Images:N0} images: job / plain loop", result.Ratio.ToString("0.00", CultureInfo.InvariantCulture), ">= 0.95", result.Ratio >= 0.95),
            new BenchFigure("ocr", "job's character accuracy on the rendered words", result.JobAccuracy.ToString("0.000", CultureInfo.InvariantCulture), ">= 0.90", result.JobAccuracy >= 0.90),
        ];
    }

    public static async Task<OcrThroughputResult> MeasureAsync(int images, int repeat, int miniBatchSize)
    {
        var model = ModelFolder();
        var root = Directory.CreateTempSubdirectory("sluice-bench-ocr-");
        try
        {
            var data = Path.Combine(root.FullName, "data");
            var warmUpData = Path.Combine(root.FullName, "warm-up");
            var labelsFile = Path.Combine(root.FullName, "labels.tsv");
            using (var renderer = new TextLineRenderer())
            {
                var characters = CharacterSet.Load(OcrRecognizer.ModelFiles(model).Keys);
                renderer.RenderSet(images, seed: 2026, data, labelsFile, characters);
                renderer.RenderSet(images, seed: 7, warmUpData, Path.Combine(root.FullName, "warm-up.tsv"), characters);
            }

            var labels = Labels.Read(labelsFile);

            // Two workers on two cores, one intra-op thread each: the arrangement NOTES.md measured as the machine's best.
            var threads = Environment.ProcessorCount;
            await using var server = await BenchServer.StartAsync(Path.Combine(root.FullName, "server"), Path.Combine(root.FullName, "project"), $"""
                name: ocr
                endpoint_name: bench
                model:
                  name: paddleocr-rec
                  path: {model}
                code_configuration:
                  code: {Path.Combine(RepositoryRoot(), "samples", "ocr", "scorer")}
                  scoring_script: OcrScorer.csproj:Samples.Ocr.OcrScorer
                settings:
                  mini_batch_size: {miniBatchSize}
                  max_concurrency_per_instance: {threads}
                  output_file_name: predictions.csv
                  retry_settings:
                    timeout: 600
                  environment_variables:
                    OCR_INTRA_OP_THREADS: "1"
                """);

            // Warm-ups, one of each over as many other images: the first job builds the scorer project (cached afterwards),
            // and a job as long as the measured ones makes the runtime compile the server's hot paths at its optimising
            // tier. That compiling takes most of a core for a second or two after the first job (docs/benchmarks.md), so
            // the measured runs start after it has settled: they measure a server that has run a job before, as a
            // long-running one has. The first loop JIT-compiles the loop's path.
            await server.RunJobAsync(warmUpData, images);
            PlainLoop(model, warmUpData, Path.Combine(root.FullName, "plain-warm-up.csv"), threads);
            await Task.Delay(TimeSpan.FromSeconds(3));

            var job = double.MaxValue;
            var plain = double.MaxValue;
            var jobAccuracy = 1.0;
            var plainAccuracy = 1.0;
            var trace = Environment.GetEnvironmentVariable("SLUICE_BENCH_TRACE") is not null;
            for (var i = 0; i < repeat; i++)
            {
                var uploaded = await server.UploadAsync(data);
                var cpu = Cpu();
                var run = await server.RunUploadedAsync(uploaded, images);
                if (trace)
                {
                    // CPU of the whole process (server, silo, workers) per image, then while idle right after the job.
                    var used = Cpu() - cpu;
                    var idle = Cpu();
                    await Task.Delay(2000);
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"job: {used.TotalMilliseconds / images:0.00} ms CPU per image; {(Cpu() - idle).TotalMilliseconds / 2:0.0} ms CPU per s idle after it; ONNX Runtime native libraries mapped: {NativeRuntimes()}"));
                }

                job = Math.Min(job, run.Seconds);
                jobAccuracy = Math.Min(jobAccuracy, Labels.Compare(labels, Labels.ReadPredictions(Path.Combine(run.OutputFolder, "score", "predictions.csv"))).CharacterAccuracy);

                var plainOutput = Path.Combine(root.FullName, $"plain-{i}.csv");
                var plainCpu = Cpu();
                plain = Math.Min(plain, PlainLoop(model, data, plainOutput, threads));
                if (trace)
                {
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"loop: {(Cpu() - plainCpu).TotalMilliseconds / images:0.00} ms CPU per image"));
                }

                plainAccuracy = Math.Min(plainAccuracy, Labels.Compare(labels, Labels.ReadPredictions(plainOutput)).CharacterAccuracy);
            }

            return new OcrThroughputResult(images, threads, miniBatchSize, images / job, images / plain, jobAccuracy, plainAccuracy);
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

    public static void Print(OcrThroughputResult r)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("images").AddColumn("threads").AddColumn("mini-batch").AddColumn("Sluice job images/s").AddColumn("plain loop images/s")
            .AddColumn("ratio").AddColumn("job char. accuracy").AddColumn("plain char. accuracy");
        table.AddRow(r.Images.ToString("N0", CultureInfo.InvariantCulture), r.Threads.ToString(CultureInfo.InvariantCulture), r.MiniBatchSize.ToString(CultureInfo.InvariantCulture),
            r.JobImagesPerSecond.ToString("N1", CultureInfo.InvariantCulture), r.PlainImagesPerSecond.ToString("N1", CultureInfo.InvariantCulture), r.Ratio.ToString("0.00", CultureInfo.InvariantCulture),
            r.JobAccuracy.ToString("P2", CultureInfo.InvariantCulture), r.PlainAccuracy.ToString("P2", CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"{Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}, ONNX Runtime {OrtEnv.Instance().GetVersionString()}; PaddleOCR PP-OCRv4 recognition; accuracy is the worst run's.");
    }

    /// <summary>
    /// The baseline: the same decoding, preprocessing, inference, CTC decoding and CSV rows, on the same threads, with
    /// nothing around it. Returns seconds, session creation included (the job's workers create theirs too).
    /// </summary>
    private static double PlainLoop(string model, string dataFolder, string output, int threads)
    {
        var stopwatch = Stopwatch.StartNew();
        var files = Directory.GetFiles(dataFolder).Order(StringComparer.Ordinal).ToArray();
        var rows = new string[files.Length];
        var next = -1;
        var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
        {
            using var recognizer = new OcrRecognizer(model, intraOpThreads: 1);
            using var writer = new StringWriter(CultureInfo.InvariantCulture);
            for (var i = Interlocked.Increment(ref next); i < files.Length; i = Interlocked.Increment(ref next))
            {
                var (text, confidence) = recognizer.RecognizeFile(files[i]) ?? throw new InvalidDataException($"{files[i]} is not an image");
                CsvRowWriter.WriteRow(writer, [Path.GetFileName(files[i]), text, confidence]);
                rows[i] = writer.ToString();
                writer.GetStringBuilder().Clear();
            }
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());
        File.WriteAllText(output, "file_name,text,confidence\n" + string.Concat(rows));
        return stopwatch.Elapsed.TotalSeconds;
    }

    private static TimeSpan Cpu()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    /// <summary>Distinct ONNX Runtime native libraries mapped into this process (1 when scorers share Sluice's).</summary>
    private static int NativeRuntimes() =>
        File.Exists("/proc/self/maps")
            ? File.ReadLines("/proc/self/maps").Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(f => f.Length >= 6 && f[5].EndsWith("libonnxruntime.so", StringComparison.Ordinal)).Select(f => f[5]).Distinct(StringComparer.Ordinal).Count()
            : -1;

    private static string ModelFolder()
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot(), "scripts", "ocr-model.sh"));
        start.ArgumentList.Add("path");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not run scripts/ocr-model.sh");
        var folder = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return process.ExitCode == 0 && File.Exists(Path.Combine(folder, "rec.onnx"))
            ? folder
            : throw new InvalidOperationException($"scripts/ocr-model.sh path failed (exit {process.ExitCode}); run scripts/ocr-model.sh install (it needs npm)");
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Sluice.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"no folder above {AppContext.BaseDirectory} holds Sluice.slnx");
    }
}
