namespace Sluice.Core.Tests.Compatibility;

/// <summary>One row of the table in docs/compatibility.md.</summary>
internal sealed record CompatibilityRow(int Line, string File, string Kind, string Outcome, string Notes);

/// <summary>Reads the <c>| file | kind | outcome | notes |</c> table of docs/compatibility.md.</summary>
internal static class CompatibilityTable
{
    public const string Valid = "valid";
    public const string ValidWithWarnings = "valid (warnings)";
    public const string Rejected = "rejected";

    public static readonly string[] Outcomes = [Valid, ValidWithWarnings, Rejected];

    public static string DocumentPath => Path.Combine(RepositoryRoot(), "docs", "compatibility.md");

    public static IReadOnlyList<CompatibilityRow> Load()
    {
        var lines = File.ReadAllLines(DocumentPath);
        var header = Array.FindIndex(lines, l => Cells(l) is ["file", "kind", "outcome", "notes"]);
        Assert.True(header >= 0, $"{DocumentPath} has no '| file | kind | outcome | notes |' table");
        Assert.True(header + 1 < lines.Length && lines[header + 1].TrimStart().StartsWith("|---", StringComparison.Ordinal), $"{DocumentPath}:{header + 2}: expected the table's separator row");

        var rows = new List<CompatibilityRow>();
        for (var i = header + 2; i < lines.Length && lines[i].TrimStart().StartsWith('|'); i++)
        {
            var cells = Cells(lines[i]);
            Assert.True(cells.Length == 4, $"{DocumentPath}:{i + 1}: expected 4 cells, got {cells.Length}");
            rows.Add(new CompatibilityRow(i + 1, cells[0].Trim('`'), cells[1].Trim('`'), cells[2], cells[3]));
        }

        return rows;
    }

    private static string[] Cells(string line)
    {
        var trimmed = line.Trim();
        if (!trimmed.StartsWith('|') || !trimmed.EndsWith('|') || trimmed.Length < 2)
        {
            return [];
        }

        return [.. trimmed[1..^1].Split('|').Select(c => c.Trim())];
    }

    /// <summary>The folder that holds Sluice.slnx, found from the test binaries wherever the build puts them.</summary>
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
