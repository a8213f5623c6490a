using System.Globalization;
using Sluice.Bench;

// Usage: dotnet run -c Release --project bench/Sluice.Bench [-- --rows 100000 --repeat 3]
if (Console.IsOutputRedirected)
{
    Spectre.Console.AnsiConsole.Profile.Width = 200;
}

var rows = Argument(args, "--rows", 100_000);
var repeat = Argument(args, "--repeat", 3);
var results = await JobThroughputBenchmark.RunAsync(rows, repeat);
JobThroughputBenchmark.Print(results, rows);
return results.All(r => r.Ratio >= 0.9) ? 0 : 2;

static int Argument(string[] args, string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}
