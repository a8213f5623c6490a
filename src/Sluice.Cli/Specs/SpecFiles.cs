using Sluice.Cli.Infrastructure;
using Sluice.Core.Diagnostics;
using Sluice.Core.Specs;
using Sluice.Core.Yaml;

namespace Sluice.Cli.Specs;

/// <summary>Reads <c>-f FILE</c> with <c>--set</c> overrides; any problem becomes an exit-5 error listing every line.</summary>
public static class SpecFiles
{
    /// <param name="name">
    /// The name given with <c>-n</c>: in a file of several documents (<c>---</c>), it picks the document of that name
    /// among those of <paramref name="kind"/>.
    /// </param>
    public static T Read<T>(CliContext context, string file, DocumentKind kind, IEnumerable<string>? sets = null, IReadOnlyDictionary<string, string>? implied = null, string? name = null)
        where T : class
    {
        var fullPath = Path.GetFullPath(file);
        if (!File.Exists(fullPath))
        {
            throw new CliException($"{file}: file not found.", ExitCodes.Invalid);
        }

        var result = SpecReader.ReadSelected(File.ReadAllText(fullPath), file, Path.GetDirectoryName(fullPath), SpecReadOptions.Cli, kind, name, sets, implied);
        return Accept<T>(context, result, file);
    }

    /// <summary>
    /// Reads a spec from <c>-f FILE</c> when given, else from command-line options alone; either way the options and
    /// <c>--set</c> overrides are applied as overrides, so every source of a value is validated the same way.
    /// </summary>
    public static T FromFileOrOptions<T>(CliContext context, string? file, DocumentKind kind, IEnumerable<string> sets, IEnumerable<(string Key, string? Value)> options)
        where T : class
    {
        var given = options.Where(o => o.Value is not null).ToList();
        var all = given.Select(o => $"{o.Key}={o.Value}").Concat(sets).ToList();
        if (file is not null)
        {
            return Read<T>(context, file, kind, all, name: given.FirstOrDefault(o => o.Key == "name").Value);
        }

        var result = SpecReader.Read("{}", "command line", Directory.GetCurrentDirectory(), SpecReadOptions.Cli, kind, all);
        return Accept<T>(context, result, "the command line");
    }

    /// <summary>Reads a spec given as text (e.g. the server's JSON of a resource, for <c>update --set</c>).</summary>
    public static T ReadText<T>(CliContext context, string text, string source, DocumentKind kind, IEnumerable<string>? sets = null)
        where T : class =>
        Accept<T>(context, SpecReader.Read(text, source, null, SpecReadOptions.Server, kind, sets), source);

    private static T Accept<T>(CliContext context, SpecReadResult result, string source)
        where T : class
    {
        foreach (var warning in result.Diagnostics.Where(d => d.Severity == Severity.Warning))
        {
            context.Error.WriteLine(warning.ToString());
        }

        if (!result.IsValid)
        {
            var errors = result.Errors.Select(e => e.ToString()).ToList();
            throw new CliException($"{source} is not valid ({errors.Count} problem{(errors.Count == 1 ? string.Empty : "s")}).", ExitCodes.Invalid, errors);
        }

        return result.Spec as T ?? throw new CliException($"{source} does not describe the expected resource.", ExitCodes.Invalid);
    }
}
