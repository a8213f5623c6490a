using System.Diagnostics;
using Sluice.Bench;
using Spectre.Console;

// Usage:
//   bench/run [benchmark…]                      every benchmark (or the named ones), then the summary table
//   dotnet run -c Release --project bench/Sluice.Bench -- <benchmark> [--option value …]
// Each benchmark prints its own table; 'all' (bench/run's default) prints the summary of every figure and its goal last.
// Exit code: 0 when every figure with a goal met it, 3 when one did not, 2 on a usage error.
if (Console.IsOutputRedirected)
{
    AnsiConsole.Profile.Width = 200;
}

// Name → benchmark, in the order 'all' runs them.
var benchmarks = new (string Name, string What, Func<BenchArguments, Task<IReadOnlyList<BenchFigure>>> Run)[]
{
    ("tabular", "(a) Sluice job vs a plain ONNX Runtime loop, tabular models", JobThroughputBenchmark.RunAsync),
    ("ocr", "(a) Sluice job vs a plain ONNX Runtime loop, PaddleOCR text recognition", OcrThroughputBenchmark.RunAsync),
    ("latency", "(b) invoke → first committed prediction, warm and from zero", FirstPredictionLatencyBenchmark.RunAsync),
    ("files", "(c) a 1,000,000-file job with a trivial scorer", MillionFilesBenchmark.RunAsync),
    ("rows", "(d) a 100,000,000-row tabular job: rows/s and peak memory", HundredMillionRowsBenchmark.RunAsync),
    ("scaling", "job throughput on 1, 2, 4 local nodes", ClusterScalingBenchmark.RunAsync),
    ("micro", "micro-benchmarks (BenchmarkDotNet): scoring hot paths with the memory diagnoser, network rule evaluation", MicroBenchmarks.RunAsync),
};

var selected = args.Length == 0 || args[0] == "all"
    ? benchmarks
    : benchmarks.Where(b => args.Contains(b.Name)).ToArray();
if (selected.Length == 0)
{
    Console.Error.WriteLine($"unknown benchmark '{args[0]}'; choose from: all, {string.Join(", ", benchmarks.Select(b => b.Name))}");
    return 2;
}

// Options apply to the one benchmark named first; 'all' runs every benchmark with its defaults.
var options = new BenchArguments(args.Length > 1 && selected.Length == 1 ? args[1..] : []);
var figures = new List<BenchFigure>();
foreach (var benchmark in selected)
{
    AnsiConsole.Write(new Rule($"{benchmark.Name}: {benchmark.What}").LeftJustified());
    var clock = Stopwatch.StartNew();
    try
    {
        figures.AddRange(await benchmark.Run(options));
    }
    catch (Exception ex)
    {
        // One benchmark that cannot run (a missing tool, a job that failed) must not hide the others' figures.
        AnsiConsole.MarkupLine($"[red]{Markup.Escape(benchmark.Name)} failed:[/] {Markup.Escape(ex.ToString())}");
        figures.Add(new BenchFigure(benchmark.Name, "ran to the end", $"failed: {ex.GetType().Name}: {ex.Message.Split('\n')[0]}", "completes", false));
    }

    AnsiConsole.MarkupLine($"[grey]{benchmark.Name} took {clock.Elapsed.TotalSeconds:0} s[/]");
}

BenchSummary.Print(figures);
return figures.Any(f => f.Met == false) ? 3 : 0;
