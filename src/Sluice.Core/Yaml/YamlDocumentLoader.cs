using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sluice.Core.Yaml;

/// <summary>Parses text (YAML, or JSON, which is YAML) into the root mapping of a single document, reporting syntax errors with their position.</summary>
public static class YamlDocumentLoader
{
    public static YamlMappingNode? Load(string text, SpecContext context)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            var location = ex.Start.Line > 0
                ? new Diagnostics.SourceLocation(context.Source, ex.Start.Line, ex.Start.Column)
                : new Diagnostics.SourceLocation(context.Source);
            context.Diagnostics.Error(location, $"not valid YAML: {Describe(ex)}");
            return null;
        }

        if (stream.Documents.Count == 0 || YamlScalars.IsNull(stream.Documents[0].RootNode))
        {
            context.Diagnostics.Error(new Diagnostics.SourceLocation(context.Source), "the document is empty; expected a mapping of keys such as 'name:'");
            return null;
        }

        if (stream.Documents.Count > 1)
        {
            context.Error(stream.Documents[1].RootNode, "holds more than one YAML document ('---'); put each resource in its own file");
            return null;
        }

        var root = stream.Documents[0].RootNode;
        if (root is not YamlMappingNode mapping)
        {
            context.Error(root, $"expected a mapping of keys such as 'name:' at the top level, got {YamlScalars.Describe(root)}");
            return null;
        }

        return mapping;
    }

    /// <summary>
    /// Parses a file of several documents separated by <c>---</c>. Null when the text is not YAML at all (the error is
    /// reported); otherwise one root per document, null for a document that is not a mapping (reported too).
    /// </summary>
    public static IReadOnlyList<(YamlMappingNode? Root, long Line)>? LoadAll(string text, SpecContext context)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            var location = ex.Start.Line > 0
                ? new Diagnostics.SourceLocation(context.Source, ex.Start.Line, ex.Start.Column)
                : new Diagnostics.SourceLocation(context.Source);
            context.Diagnostics.Error(location, $"not valid YAML: {Describe(ex)}");
            return null;
        }

        var documents = stream.Documents.Where(d => !YamlScalars.IsNull(d.RootNode)).ToList();
        if (documents.Count == 0)
        {
            context.Diagnostics.Error(new Diagnostics.SourceLocation(context.Source), "the document is empty; expected a mapping of keys such as 'name:'");
            return null;
        }

        return [.. documents.Select(d => (d.RootNode as YamlMappingNode, d.RootNode.Start.Line))];
    }

    private static string Describe(YamlException ex)
    {
        var message = ex.Message;

        // YamlDotNet prefixes messages with "(Line: 3, Col: 1, Idx: 20) - (Line: …): "; the position is reported separately.
        var marker = message.LastIndexOf("): ", StringComparison.Ordinal);
        if (message.StartsWith("(Line:", StringComparison.Ordinal) && marker > 0)
        {
            message = message[(marker + 3)..];
        }

        const string duplicate = "Duplicate key ";
        return message.StartsWith(duplicate, StringComparison.Ordinal)
            ? $"duplicate key '{message[duplicate.Length..].Trim()}': each key may appear only once in a mapping"
            : message.TrimEnd('.');
    }
}
