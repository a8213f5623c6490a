using Sluice.Core.Diagnostics;
using Sluice.Core.Specs;
using Sluice.Core.Yaml;

namespace Sluice.Core.Tests.Compatibility;

/// <summary>
/// Azure ML's own example files, read from the folder named by SLUICE_COMPAT_DIR (kept outside the repository), checked
/// against the table in docs/compatibility.md so that the document and the reader cannot drift apart.
/// </summary>
public sealed class CompatibilityCorpusTests
{
    private const string Variable = "SLUICE_COMPAT_DIR";

    // The corpus carries only YAML, not the model, code and conda files it points at.
    private static readonly SpecReadOptions Options = new() { CheckLocalPaths = false };

    // How Sluice's messages say a feature is missing: "not supported", or naming the Azure product it belongs to.
    private static readonly string[] UnsupportedFeatureMarkers = ["not supported", "for online endpoints"];

    [Fact]
    public void Corpus_EveryFile_IsValidOrRejectedOnlyForUnsupportedFeatures()
    {
        var problems = new List<string>();
        foreach (var (file, result) in ReadCorpus())
        {
            problems.AddRange(result.Errors
                .Where(e => !UnsupportedFeatureMarkers.Any(m => e.Message.Contains(m, StringComparison.Ordinal)))
                .Select(e => $"{file}: rejected for something other than an unsupported feature: {e}"));
            if (!result.IsValid && !result.Errors.Any())
            {
                problems.Add($"{file}: rejected without an error");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void CompatibilityDoc_ListsEveryCorpusFileWithWhatTheReaderDoes()
    {
        var corpus = ReadCorpus().ToDictionary(c => c.File, c => c.Result, StringComparer.Ordinal);
        var rows = CompatibilityTable.Load();
        var where = CompatibilityTable.DocumentPath;
        var problems = new List<string>();

        problems.AddRange(corpus.Keys.Except(rows.Select(r => r.File), StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(f => $"{where}: no row for corpus file '{f}'"));
        foreach (var row in rows)
        {
            if (!corpus.TryGetValue(row.File, out var result))
            {
                problems.Add($"{where}:{row.Line}: '{row.File}' is not in the corpus");
                continue;
            }

            var outcome = Outcome(result);
            if (row.Outcome != outcome)
            {
                problems.Add($"{where}:{row.Line}: '{row.File}' is documented as '{row.Outcome}' but is {outcome}: {string.Join("; ", result.Diagnostics.Select(d => d.Message))}");
            }

            var kind = result.Kind is { } k ? SnakeCase.From(k.ToString()) : "unknown";
            if (row.Kind != kind)
            {
                problems.Add($"{where}:{row.Line}: '{row.File}' is documented as kind '{row.Kind}' but reads as '{kind}'");
            }

            problems.AddRange(result.Diagnostics
                .Where(d => d.KeyPath is not null && !row.Notes.Contains($"`{d.KeyPath}`", StringComparison.Ordinal))
                .Select(d => $"{where}:{row.Line}: the notes of '{row.File}' do not name `{d.KeyPath}`, which has a {d.Severity.ToString().ToLowerInvariant()}: {d.Message}"));
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void CompatibilityDoc_Table_IsWellFormed()
    {
        var rows = CompatibilityTable.Load();
        var kinds = Enum.GetValues<DocumentKind>().Select(k => SnakeCase.From(k.ToString())).ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(rows);
        Assert.All(rows, r =>
        {
            Assert.Contains(r.Outcome, CompatibilityTable.Outcomes);
            Assert.Contains(r.Kind, kinds);
            Assert.True(r.Outcome == CompatibilityTable.Valid || r.Notes.Length > 0, $"line {r.Line}: a '{r.Outcome}' row must say why in its notes");
        });
        Assert.Equal(rows.Count, rows.Select(r => r.File).Distinct(StringComparer.Ordinal).Count());
    }

    private static string Outcome(SpecReadResult result) =>
        !result.IsValid ? CompatibilityTable.Rejected
        : result.Diagnostics.Any(d => d.Severity == Severity.Warning) ? CompatibilityTable.ValidWithWarnings
        : CompatibilityTable.Valid;

    private static List<(string File, SpecReadResult Result)> ReadCorpus()
    {
        var folder = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(folder))
        {
            Assert.Skip($"{Variable} is not set. To run the compatibility corpus, set it to the folder of Azure ML example YAML files (see docs/compatibility.md): {Variable}=/path/to/corpus dotnet test tests/Sluice.Core.Tests");
        }

        if (!Directory.Exists(folder))
        {
            Assert.Skip($"{Variable} names '{folder}', which is not a folder. Point it at the folder of Azure ML example YAML files (see docs/compatibility.md) to run the compatibility corpus.");
        }

        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase))
            .Select(f => (File: Path.GetRelativePath(folder, f).Replace('\\', '/'), Path: f))
            .OrderBy(f => f.File, StringComparer.Ordinal)
            .ToList();
        Assert.True(files.Count > 0, $"{Variable} names '{folder}', which holds no .yml or .yaml files");
        return [.. files.Select(f => (f.File, SpecReader.ReadFile(f.Path, Options)))];
    }
}
