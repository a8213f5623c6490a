using Sluice.Core.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Sluice.Core.Yaml;

/// <summary>
/// Reads one YAML mapping key by key. Every key asked for becomes "known"; <see cref="Complete"/> then reports the keys
/// nobody asked for, with a did-you-mean, so a typo never passes silently. Problems go to the context's bag; readers
/// keep going after an error so one pass reports everything.
/// </summary>
public sealed class MappingReader
{
    private readonly HashSet<string> _known = new(StringComparer.Ordinal) { "$schema" };
    private readonly Dictionary<string, (YamlScalarNode Key, YamlNode Value)> _entries = new(StringComparer.Ordinal);

    public MappingReader(SpecContext context, YamlMappingNode node, string path)
    {
        Context = context;
        Node = node;
        Path = path;
        foreach (var (key, value) in node.Children)
        {
            if (key is YamlScalarNode scalarKey && scalarKey.Value is { } name)
            {
                _entries[name] = (scalarKey, value);
            }
            else
            {
                context.Error(key, $"keys must be plain words; {YamlScalars.Describe(key)} is not", path);
            }
        }
    }

    public SpecContext Context { get; }

    public YamlMappingNode Node { get; }

    /// <summary>The dotted path of this mapping in the document, e.g. <c>settings.retry_settings</c>; empty at the root.</summary>
    public string Path { get; }

    public IEnumerable<string> Keys => _entries.Keys;

    public string KeyPath(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    /// <summary>True when the key is present with a non-null value. Marks the key known.</summary>
    public bool Has(string key)
    {
        _known.Add(key);
        return _entries.TryGetValue(key, out var entry) && !YamlScalars.IsNull(entry.Value);
    }

    /// <summary>True when the key is written at all, even as null.</summary>
    public bool IsPresent(string key) => _entries.ContainsKey(key);

    /// <summary>The raw value node, or null when absent or null. Marks the key known.</summary>
    public YamlNode? Get(string key)
    {
        _known.Add(key);
        return _entries.TryGetValue(key, out var entry) && !YamlScalars.IsNull(entry.Value) ? entry.Value : null;
    }

    /// <summary>The node to point at when reporting a problem with a key: its value if present, else the mapping.</summary>
    public YamlNode Locate(string key) => _entries.TryGetValue(key, out var entry) ? entry.Value : Node;

    public YamlNode LocateKey(string key) => _entries.TryGetValue(key, out var entry) ? entry.Key : Node;

    public void Error(string key, string message) => Context.Error(Locate(key), $"{KeyPath(key)}: {message}", KeyPath(key));

    public void Warning(string key, string message) => Context.Warning(Locate(key), $"{KeyPath(key)}: {message}", KeyPath(key));

    public string? String(string key)
    {
        var node = Get(key);
        switch (node)
        {
            case null:
                return null;
            case YamlScalarNode scalar:
                return scalar.Value;
            default:
                Error(key, $"expected a text value, got {YamlScalars.Describe(node)}");
                return null;
        }
    }

    public string? RequiredString(string key, string? hint = null)
    {
        var value = String(key);
        if (value is null && !_entries.TryGetValue(key, out _))
        {
            Missing(key, hint);
        }
        else if (value is null or "")
        {
            Error(key, "must not be empty" + (hint is null ? string.Empty : $"; {hint}"));
            return null;
        }

        return value;
    }

    public void Missing(string key, string? hint = null) =>
        Context.Error(Node, $"missing required key '{KeyPath(key)}'" + (hint is null ? string.Empty : $"; {hint}"), KeyPath(key));

    public long? Integer(string key, long min = long.MinValue, long max = long.MaxValue)
    {
        var node = Get(key);
        if (node is null)
        {
            return null;
        }

        if (node is not YamlScalarNode scalar || !YamlScalars.TryInteger(scalar, out var value))
        {
            Error(key, $"expected a whole number, got {YamlScalars.Describe(node)}");
            return null;
        }

        if (value < min || value > max)
        {
            Error(key, RangeMessage(value, min, max));
            return null;
        }

        return value;
    }

    public int? Int32(string key, int min = int.MinValue, int max = int.MaxValue) => (int?)Integer(key, min, max);

    public double? Number(string key, double min = double.MinValue, double max = double.MaxValue)
    {
        var node = Get(key);
        if (node is null)
        {
            return null;
        }

        if (node is not YamlScalarNode scalar || !YamlScalars.TryNumber(scalar, out var value))
        {
            Error(key, $"expected a number, got {YamlScalars.Describe(node)}");
            return null;
        }

        if (value < min || value > max)
        {
            Error(key, $"{value} is out of range; expected a value from {min} to {max}");
            return null;
        }

        return value;
    }

    public bool? Boolean(string key)
    {
        var node = Get(key);
        if (node is null)
        {
            return null;
        }

        if (node is not YamlScalarNode scalar || !YamlScalars.TryBoolean(scalar, out var value))
        {
            Error(key, $"expected true or false, got {YamlScalars.Describe(node)}");
            return null;
        }

        return value;
    }

    public TEnum? Enum<TEnum>(string key)
        where TEnum : struct, Enum
    {
        var node = Get(key);
        if (node is null)
        {
            return null;
        }

        if (node is YamlScalarNode { Value: { } text } && EnumNames<TEnum>.TryParse(text, out var value))
        {
            return value;
        }

        var given = (node as YamlScalarNode)?.Value ?? string.Empty;
        var suggestion = DidYouMean.Suggest(given, EnumNames<TEnum>.All);
        Error(key, $"{YamlScalars.Describe(node)} is not allowed; expected one of: {string.Join(", ", EnumNames<TEnum>.All)}"
            + (suggestion is null ? string.Empty : $" (did you mean '{suggestion}'?)"));
        return null;
    }

    /// <summary>A mapping of scalar values (tags, properties, environment variables); numbers and booleans become their text.</summary>
    public IReadOnlyDictionary<string, string>? StringMap(string key)
    {
        var node = Get(key);
        if (node is null)
        {
            return null;
        }

        if (node is not YamlMappingNode mapping)
        {
            Error(key, $"expected a mapping of names to values, got {YamlScalars.Describe(node)}");
            return null;
        }

        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in mapping.Children)
        {
            if (k is not YamlScalarNode { Value: { } name })
            {
                Context.Error(k, $"{KeyPath(key)}: names must be plain words", KeyPath(key));
                continue;
            }

            switch (v)
            {
                case YamlScalarNode s when YamlScalars.IsNull(s):
                    result[name] = string.Empty;
                    break;
                case YamlScalarNode s:
                    result[name] = s.Value ?? string.Empty;
                    break;
                default:
                    Context.Error(v, $"{KeyPath(key)}.{name}: expected a text value, got {YamlScalars.Describe(v)}", $"{KeyPath(key)}.{name}");
                    break;
            }
        }

        return result;
    }

    public MappingReader? Mapping(string key)
    {
        var node = Get(key);
        switch (node)
        {
            case null:
                return null;
            case YamlMappingNode mapping:
                return new MappingReader(Context, mapping, KeyPath(key));
            default:
                Error(key, $"expected a mapping, got {YamlScalars.Describe(node)}");
                return null;
        }
    }

    public YamlSequenceNode? Sequence(string key)
    {
        var node = Get(key);
        switch (node)
        {
            case null:
                return null;
            case YamlSequenceNode sequence:
                return sequence;
            default:
                Error(key, $"expected a list, got {YamlScalars.Describe(node)}");
                return null;
        }
    }

    /// <summary>Declares keys that are accepted and deliberately not used (Azure-only settings with no meaning here).</summary>
    public void Ignore(params string[] keys)
    {
        foreach (var key in keys)
        {
            _known.Add(key);
        }
    }

    /// <summary>Rejects a key if present, with a message that explains why and what to do instead.</summary>
    public void Forbid(string key, string message)
    {
        _known.Add(key);
        if (_entries.ContainsKey(key))
        {
            Context.Error(LocateKey(key), $"{KeyPath(key)}: {message}", KeyPath(key));
        }
    }

    /// <summary>Reports every key that no reader asked for.</summary>
    public void Complete()
    {
        foreach (var (name, entry) in _entries)
        {
            if (_known.Contains(name))
            {
                continue;
            }

            var suggestion = DidYouMean.Suggest(name, _known.Where(k => k != "$schema"));
            var where = Path.Length == 0 ? string.Empty : $" in '{Path}'";
            var message = suggestion is not null
                ? $"unknown key '{name}'{where}; did you mean '{suggestion}'?"
                : $"unknown key '{name}'{where}; expected one of: {string.Join(", ", _known.Where(k => k != "$schema").Order(StringComparer.Ordinal))}";
            Context.Error(entry.Key, message, KeyPath(name));
        }
    }

    private static string RangeMessage(long value, long min, long max)
    {
        // Int32 fields pass their type's limits as bounds; those are not rules worth quoting.
        var noMin = min is long.MinValue or int.MinValue;
        var noMax = max is long.MaxValue or int.MaxValue;
        var text = value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return (value < min, noMin, noMax) switch
        {
            (true, _, true) => $"{text} is too small; the minimum is {min}",
            (false, true, _) => $"{text} is too large; the maximum is {max}",
            _ => $"{text} is out of range; expected a value from {min} to {max}",
        };
    }
}
