using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace Sluice.Bench;

/// <summary>
/// The BenchmarkDotNet suites (<c>bench/Sluice.Scoring.Bench</c>: the row and tensor paths with the memory diagnoser;
/// <c>bench/Sluice.Network.Bench</c>: compiled rule evaluation against a linear scan), run as child processes with a
/// short job (1 warm-up, 3 measured iterations) so that <c>bench/run</c> stays within its time budget, and read back
/// from their JSON reports. Each benchmark becomes a figure; the paths meant to allocate nothing per operation carry
/// that as their goal. For tighter confidence intervals run a suite on its own with its default job.
/// </summary>
public static class MicroBenchmarks
{
    /// <summary>A BenchmarkDotNet project bench/run builds beside Sluice.Bench, and the benchmarks of it to run.</summary>
    private sealed record Suite(string Project, string Filter);

    private static readonly Suite[] Suites =
    [
        new("Sluice.Scoring.Bench", "*"),
        new("Sluice.Network.Bench", "*FlowEvaluation*"),
    ];

    /// <summary>
    /// The most a benchmark's operation may allocate (<c>Type.Method</c> → bytes): the per-item and per-batch hot paths.
    /// A benchmark not listed is reported without a goal.
    /// </summary>
    private static readonly Dictionary<string, long> AllocationBudgets = new(StringComparer.Ordinal)
    {
        // One flow through ten compiled security groups.
        ["FlowEvaluationBenchmarks.Compiled"] = 0,

        // One OCR image resized and normalised into the tensor buffer kept for its width.
        ["OcrTensorBenchmarks.Prepare"] = 0,

        // 1,024 rows copied into the pinned batch and run: at most one byte per row (ONNX Runtime's managed Run call
        // allocates a little per call, never per row).
        ["TabularScoringBenchmarks.FillAndRun"] = 1024,
        ["TabularScoringBenchmarks.FillFromSmallFilesAndRun"] = 1024,
    };

    /// <summary>
    /// Row-path benchmarks measured at two sizes (their <c>Rows</c> parameter): what they allocate per extra row, which
    /// must be nothing — a mini-batch's fixed buffers are allowed, objects per row are not.
    /// </summary>
    private static readonly string[] NothingPerRow = ["TabularRowPathBenchmarks.EncodeTyped", "TabularRowPathBenchmarks.ParseCsvPooled"];

    /// <summary>One benchmark as its JSON report gives it.</summary>
    private sealed record Measured(string Suite, string Type, string Method, string Title, string Parameters, double MeanNanoseconds, long AllocatedBytes);

    /// <summary>bench/run's entry: <c>--filter PATTERN</c> narrows every suite to the benchmarks matching it.</summary>
    public static async Task<IReadOnlyList<BenchFigure>> RunAsync(BenchArguments args)
    {
        var filter = args.Text("--filter", string.Empty);
        var results = new List<Measured>();
        var work = Directory.CreateTempSubdirectory("sluice-bench-micro-");
        try
        {
            foreach (var suite in Suites)
            {
                // A filter of the user's may match benchmarks of one suite only; the suites' own filters must each match some.
                results.AddRange(await RunSuiteAsync(suite, filter.Length > 0 ? filter : suite.Filter, mustMatch: filter.Length == 0, work.FullName));
            }
        }
        finally
        {
            work.Delete(recursive: true);
        }

        Print(results);
        return [.. results.Select(Figure), .. PerRowFigures(results)];
    }

    private static BenchFigure Figure(Measured m)
    {
        var measure = $"{m.Type}.{m.Title.Trim('\'')}{(m.Parameters.Length > 0 ? $" ({m.Parameters})" : string.Empty)}: time, allocated per op";
        var value = $"{Duration(m.MeanNanoseconds)}, {Bytes(m.AllocatedBytes)}";
        return AllocationBudgets.TryGetValue($"{m.Type}.{m.Method}", out var budget)
            ? new BenchFigure("micro", measure, value, budget == 0 ? "0 B allocated" : $"<= {Bytes(budget)} allocated", m.AllocatedBytes >= 0 && m.AllocatedBytes <= budget)
            : new BenchFigure("micro", measure, value, "-", null);
    }

    /// <summary>For each row-path benchmark run at two sizes: (allocated at the larger − at the smaller) ÷ (the extra rows).</summary>
    private static IEnumerable<BenchFigure> PerRowFigures(IReadOnlyList<Measured> results)
    {
        foreach (var name in NothingPerRow)
        {
            var sizes = results
                .Where(m => $"{m.Type}.{m.Method}" == name && RowsParameter(m) is not null)
                .OrderBy(m => RowsParameter(m))
                .ToList();
            if (sizes.Count < 2)
            {
                continue;
            }

            var (small, large) = (sizes[0], sizes[^1]);
            var perRow = (double)(large.AllocatedBytes - small.AllocatedBytes) / (RowsParameter(large)!.Value - RowsParameter(small)!.Value);
            yield return new BenchFigure(
                "micro",
                $"{large.Type}.{large.Title.Trim('\'')}: allocated per extra row ({RowsParameter(small):N0} → {RowsParameter(large):N0} rows)",
                perRow.ToString("0.00 'B'", CultureInfo.InvariantCulture),
                "< 1 B per row",
                perRow < 1);
        }
    }

    private static int? RowsParameter(Measured m) =>
        m.Parameters.Split(['&', ',', ' '], StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=')).FirstOrDefault(p => p.Length == 2 && p[0] == "Rows") is { } rows
            && int.TryParse(rows[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static async Task<IReadOnlyList<Measured>> RunSuiteAsync(Suite suite, string filter, bool mustMatch, string work)
    {
        var dll = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", suite.Project, "release", $"{suite.Project}.dll"));
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing: build it with 'dotnet build bench/{suite.Project} -c Release' (bench/run does)");
        }

        var artifacts = Path.Combine(work, suite.Project);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = work,
        };
        foreach (var argument in new[] { dll, "--filter", filter, "--warmupCount", "1", "--iterationCount", "3", "--exporters", "json", "--artifacts", artifacts })
        {
            start.ArgumentList.Add(argument);
        }

        AnsiConsole.MarkupLine($"[grey]{Markup.Escape(suite.Project)} --filter {Markup.Escape(filter)} (BenchmarkDotNet, 1 warm-up, 3 iterations)[/]");
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {suite.Project}");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{suite.Project} exited with {process.ExitCode}:\n{Tail(await output)}\n{await errors}");
        }

        var reports = Directory.Exists(Path.Combine(artifacts, "results"))
            ? Directory.GetFiles(Path.Combine(artifacts, "results"), "*-report-full-compressed.json")
            : [];
        var measured = reports.SelectMany(r => Read(suite.Project, r)).ToList();
        if (measured.Count == 0 && mustMatch)
        {
            throw new InvalidOperationException($"{suite.Project} --filter {filter} ran no benchmark:\n{Tail(await output)}");
        }

        AnsiConsole.MarkupLine($"[grey]{measured.Count} benchmarks in {clock.Elapsed.TotalSeconds:0} s[/]");
        return measured;
    }

    private static IEnumerable<Measured> Read(string suite, string report)
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(report));
        foreach (var benchmark in json.RootElement.GetProperty("Benchmarks").EnumerateArray())
        {
            var statistics = benchmark.GetProperty("Statistics");
            if (statistics.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidOperationException($"{suite}: {benchmark.GetProperty("FullName").GetString()} produced no measurement (see its log)");
            }

            var memory = benchmark.GetProperty("Memory");
            yield return new Measured(
                suite,
                benchmark.GetProperty("Type").GetString()!,
                benchmark.GetProperty("Method").GetString()!,
                benchmark.GetProperty("MethodTitle").GetString()!,
                benchmark.GetProperty("Parameters").GetString() ?? string.Empty,
                statistics.GetProperty("Mean").GetDouble(),
                memory.ValueKind == JsonValueKind.Object ? memory.GetProperty("BytesAllocatedPerOperation").GetInt64() : -1);
        }
    }

    private static void Print(IReadOnlyList<Measured> results)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("suite").AddColumn("benchmark").AddColumn("parameters")
            .AddColumn(new TableColumn("mean").RightAligned()).AddColumn(new TableColumn("allocated per op").RightAligned());
        foreach (var m in results)
        {
            table.AddRow(Markup.Escape(m.Suite), Markup.Escape($"{m.Type}.{m.Title.Trim('\'')}"), Markup.Escape(m.Parameters), Duration(m.MeanNanoseconds), Bytes(m.AllocatedBytes));
        }

        AnsiConsole.Write(table);
    }

    private static string Duration(double nanoseconds) => nanoseconds switch
    {
        >= 1e9 => (nanoseconds / 1e9).ToString("0.00 's'", CultureInfo.InvariantCulture),
        >= 1e6 => (nanoseconds / 1e6).ToString("0.00 'ms'", CultureInfo.InvariantCulture),
        >= 1e3 => (nanoseconds / 1e3).ToString("0.00 'µs'", CultureInfo.InvariantCulture),
        _ => nanoseconds.ToString("0.0 'ns'", CultureInfo.InvariantCulture),
    };

    private static string Bytes(long bytes) => bytes switch
    {
        < 0 => "not measured",
        >= 1024 * 1024 => (bytes / (1024.0 * 1024)).ToString("0.00 'MB'", CultureInfo.InvariantCulture),
        >= 1024 => (bytes / 1024.0).ToString("0.0 'KB'", CultureInfo.InvariantCulture),
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " B",
    };

    private static string Tail(string text)
    {
        var lines = text.Split('\n');
        return string.Join('\n', lines[Math.Max(0, lines.Length - 30)..]);
    }
}
