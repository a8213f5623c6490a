using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sluice.Core.Yaml;

/// <summary>
/// Applies <c>--set key.path=value</c> overrides to a parsed document before it is read, as <c>az ml</c> does, so that
/// overridden values go through exactly the same validation as written ones.
/// </summary>
public static class SpecOverrides
{
    public static void Apply(YamlMappingNode root, IEnumerable<string> assignments, SpecContext context, string origin = "--set")
    {
        foreach (var assignment in assignments)
        {
            var where = $"{origin} {assignment}";
            var equals = assignment.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                context.Diagnostics.Error(new Diagnostics.SourceLocation(where), "expected key=value, e.g. --set settings.mini_batch_size=20");
                continue;
            }

            var path = assignment[..equals].Trim().Split('.');
            if (path.Any(string.IsNullOrWhiteSpace))
            {
                context.Diagnostics.Error(new Diagnostics.SourceLocation(where), $"'{assignment[..equals]}' is not a valid key path; write keys separated by dots");
                continue;
            }

            var value = ParseValue(assignment[(equals + 1)..]);

            // A flow value ({a: 1}) is parsed from the --set text, so its nodes' positions are not positions in the file.
            foreach (var node in value.AllNodes)
            {
                context.MarkOverride(node, where);
            }

            var mapping = root;
            for (var i = 0; i < path.Length - 1; i++)
            {
                var key = new YamlScalarNode(path[i]);
                if (mapping.Children.TryGetValue(key, out var child) && child is YamlMappingNode childMapping)
                {
                    mapping = childMapping;
                    continue;
                }

                var created = new YamlMappingNode();
                context.MarkOverride(key, where);
                context.MarkOverride(created, where);
                mapping.Children[key] = created;
                mapping = created;
            }

            var leaf = new YamlScalarNode(path[^1]);
            context.MarkOverride(leaf, where);
            mapping.Children.Remove(new YamlScalarNode(path[^1]));
            mapping.Children.Add(leaf, value);
        }
    }

    private static YamlNode ParseValue(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.StartsWith('{') || trimmed.StartsWith('['))
        {
            try
            {
                var stream = new YamlStream();
                stream.Load(new StringReader(trimmed));
                if (stream.Documents.Count == 1)
                {
                    return stream.Documents[0].RootNode;
                }
            }
            catch (YamlException)
            {
                // Not a flow collection after all: keep the text as a plain value.
            }
        }

        return new YamlScalarNode(text) { Style = ScalarStyle.Plain };
    }

    /// <summary>Adds root keys the document omits (a name taken from the request URL, say), without overriding written ones.</summary>
    public static void Imply(YamlMappingNode root, IReadOnlyDictionary<string, string> implied, SpecContext context)
    {
        foreach (var (key, value) in implied)
        {
            var keyNode = new YamlScalarNode(key);
            if (root.Children.ContainsKey(keyNode))
            {
                continue;
            }

            var valueNode = new YamlScalarNode(value) { Style = ScalarStyle.DoubleQuoted };
            context.MarkOverride(keyNode, $"{key} from the request");
            context.MarkOverride(valueNode, $"{key} from the request");
            root.Children.Add(keyNode, valueNode);
        }
    }
}
