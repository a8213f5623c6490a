using System.Globalization;
using Sluice.Bench;

// Usage:
//   dotnet run -c Release --project bench/Sluice.Bench [-- --rows 100000 --repeat 3]
//   dotnet run -c Release --project bench/Sluice.Bench -- scaling [--nodes 1,2,4,8 --files 1600 --sleep-ms 50 --concurrency 2 --mini-batch 10]
if (Console.IsOutputRedirected)
{
    Spectre.Console.AnsiConsole.Profile.Width = 200;
}

if (args.Length > 0 && args[0] == "scaling")
{
    var sizes = Text(args, "--nodes", "1,2,4,8").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
    var sleepMs = Argument(args, "--sleep-ms", 50);
    var concurrency = Argument(args, "--concurrency", 2);
    var miniBatch = Argument(args, "--mini-batch", 10);
    var scaling = await ClusterScalingBenchmark.RunAsync(sizes, Argument(args, "--files", 1600), sleepMs, concurrency, miniBatch);
    ClusterScalingBenchmark.Print(scaling, sleepMs, concurrency, miniBatch);
    return 0;
}

var rows = Argument(args, "--rows", 100_000);
var repeat = Argument(args, "--repeat", 3);
var results = await JobThroughputBenchmark.RunAsync(rows, repeat);
JobThroughputBenchmark.Print(results, rows);
return results.All(r => r.Ratio >= 0.9) ? 0 : 2;

static int Argument(string[] args, string name, int fallback) => int.Parse(Text(args, name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

static string Text(string[] args, string name, string fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
}
