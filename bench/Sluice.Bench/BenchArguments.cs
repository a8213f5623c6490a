using System.Globalization;

namespace Sluice.Bench;

/// <summary>The command line of one benchmark: <c>--name value</c> pairs after the benchmark's name.</summary>
public sealed class BenchArguments(IReadOnlyList<string> args)
{
    public int Int(string name, int fallback) => int.Parse(Text(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

    public long Long(string name, long fallback) => long.Parse(Text(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

    public string Text(string name, string fallback)
    {
        for (var i = 0; i < args.Count - 1; i++)
        {
            if (args[i] == name)
            {
                return args[i + 1];
            }
        }

        return fallback;
    }
}
