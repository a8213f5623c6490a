using Sluice.Core.Specs;
using Sluice.Core.Yaml;

namespace Sluice.Core.Tests.TestSupport;

/// <summary>Reads spec text the way the CLI does, reported against the file name <see cref="Source"/>.</summary>
internal static class Spec
{
    public const string Source = "spec.yml";

    /// <summary>Local paths are not checked unless a test asks: most tests are about the text, not the disk.</summary>
    public static readonly SpecReadOptions WithoutLocalPaths = new() { CheckLocalPaths = false };

    public static SpecReadResult Read(
        string yaml,
        DocumentKind? expected = null,
        SpecReadOptions? options = null,
        IEnumerable<string>? overrides = null,
        IReadOnlyDictionary<string, string>? implied = null,
        string? baseDirectory = null) =>
        SpecReader.Read(yaml, Source, baseDirectory, options ?? WithoutLocalPaths, expected, overrides, implied);

    /// <summary>Reads a document that must be valid and of type <typeparamref name="T"/>; fails listing every diagnostic otherwise.</summary>
    public static T Valid<T>(string yaml, DocumentKind? expected = null, IEnumerable<string>? overrides = null)
        where T : class => Valid<T>(Read(yaml, expected, overrides: overrides));

    public static T Valid<T>(SpecReadResult result)
        where T : class
    {
        Assert.True(result.IsValid, "expected a valid spec, got:\n" + string.Join("\n", result.Diagnostics));
        return Assert.IsType<T>(result.Spec, exactMatch: false);
    }

    /// <summary>Every diagnostic in its <c>FILE:LINE:COL: message</c> form.</summary>
    public static IReadOnlyList<string> Messages(SpecReadResult result) => [.. result.Diagnostics.Select(d => d.ToString())];

    /// <summary>Asserts the document is rejected with exactly this one problem.</summary>
    public static void SingleError(SpecReadResult result, string expected)
    {
        Assert.False(result.IsValid);
        Assert.Null(result.Spec);
        Assert.Equal([expected], Messages(result));
    }

    /// <summary>Asserts the document is rejected with exactly these problems, in any order.</summary>
    public static void Errors(SpecReadResult result, params string[] expected)
    {
        Assert.False(result.IsValid);
        Assert.Equal(expected.Order(StringComparer.Ordinal), Messages(result).Order(StringComparer.Ordinal));
    }
}
