using YamlDotNet.RepresentationModel;

namespace Sluice.Core.Yaml;

/// <summary>Finds the node a key path (<c>subnets[1].address_prefixes[0]</c>) names, to report a problem found after reading at its line.</summary>
public static class YamlPaths
{
    /// <summary>
    /// The node at the path, or the deepest node found on the way. Azure's paired keys stand in for each other: a path
    /// to <c>x_prefixes[0]</c> finds <c>x_prefix</c> when that is what the file wrote, and the other way round.
    /// </summary>
    public static YamlNode Find(YamlMappingNode root, string keyPath)
    {
        YamlNode current = root;
        foreach (var segment in keyPath.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var (key, index) = Parse(segment);
            if (current is not YamlMappingNode mapping)
            {
                return current;
            }

            if (Child(mapping, key) is { } child)
            {
                current = index is { } i && child is YamlSequenceNode list ? (i < list.Children.Count ? list.Children[i] : list) : child;
            }
            else if (Singular(mapping, key) is { } single)
            {
                current = single;
            }
            else if (Child(mapping, key + "es") is YamlSequenceNode plural)
            {
                current = plural.Children.Count > 0 ? plural.Children[0] : plural;
            }
            else
            {
                return current;
            }
        }

        return current;
    }

    private static YamlNode? Singular(YamlMappingNode mapping, string key) =>
        (key.EndsWith("es", StringComparison.Ordinal) ? Child(mapping, key[..^2]) : null)
        ?? (key.EndsWith('s') ? Child(mapping, key[..^1]) : null);

    private static YamlNode? Child(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static (string Key, int? Index) Parse(string segment)
    {
        var open = segment.IndexOf('[', StringComparison.Ordinal);
        return open > 0 && segment.EndsWith(']') && int.TryParse(segment[(open + 1)..^1], System.Globalization.CultureInfo.InvariantCulture, out var index)
            ? (segment[..open], index)
            : (segment, null);
    }
}
