using Microsoft.ML.OnnxRuntime;
using Spectre.Console;

namespace Sluice.Bench;

/// <summary>The table <c>bench/run</c> ends with: every figure, its goal, and whether it was met, with the machine.</summary>
public static class BenchSummary
{
    public static void Print(IReadOnlyList<BenchFigure> figures)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("Summary")
            .AddColumn("benchmark").AddColumn("measure").AddColumn(new TableColumn("value").RightAligned()).AddColumn("goal").AddColumn("met");
        foreach (var f in figures)
        {
            table.AddRow(Markup.Escape(f.Benchmark), Markup.Escape(f.Measure), Markup.Escape(f.Value), Markup.Escape(f.Goal),
                f.Met switch { true => "[green]yes[/]", false => "[red]no[/]", null => "-" });
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(Markup.Escape(Machine()));
    }

    /// <summary>The machine the figures come from, as docs/benchmarks.md records it.</summary>
    public static string Machine()
    {
        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        return $"{Environment.ProcessorCount} cores, {memory:0} GB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}, ONNX Runtime {OrtEnv.Instance().GetVersionString()}, {DateTime.UtcNow:yyyy-MM-dd}";
    }
}
