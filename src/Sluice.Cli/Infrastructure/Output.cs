using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace Sluice.Cli.Infrastructure;

/// <summary>A table column: its header and the dotted path of the value in a resource's JSON.</summary>
public sealed record Column(string Header, string Path);

/// <summary>Renders resources as JSON (az ml's default) or as Spectre tables.</summary>
public static class Output
{
    private static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Resource(CliContext context, JsonObject resource, OutputFormat format)
    {
        if (format == OutputFormat.Json)
        {
            context.Out.WriteLine(resource.ToJsonString(Pretty));
            return;
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumn("key").AddColumn("value");
        foreach (var (key, value) in Flatten(resource, string.Empty))
        {
            table.AddRow(Markup.Escape(key), Markup.Escape(value));
        }

        context.Console.Write(table);
    }

    public static void List(CliContext context, JsonArray items, OutputFormat format, IReadOnlyList<Column> columns)
    {
        if (format == OutputFormat.Json)
        {
            context.Out.WriteLine(items.ToJsonString(Pretty));
            return;
        }

        var table = new Table().Border(TableBorder.Rounded);
        foreach (var column in columns)
        {
            table.AddColumn(column.Header);
        }

        foreach (var item in items.OfType<JsonObject>())
        {
            table.AddRow(columns.Select(c => Markup.Escape(Text(Select(item, c.Path)))).ToArray());
        }

        if (items.Count == 0)
        {
            context.Console.MarkupLine("[grey](none)[/]");
            return;
        }

        context.Console.Write(table);
    }

    public static JsonNode? Select(JsonObject item, string path)
    {
        JsonNode? node = item;
        foreach (var part in path.Split('.'))
        {
            node = node is JsonObject o && o.TryGetPropertyValue(part, out var child) ? child : null;
        }

        return node;
    }

    public static string Text(JsonNode? node) => node switch
    {
        null => string.Empty,
        JsonValue value when value.TryGetValue<string>(out var s) => s,
        JsonObject o when o.Count == 0 => string.Empty,
        _ => node.ToJsonString(),
    };

    private static IEnumerable<(string Key, string Value)> Flatten(JsonObject node, string prefix)
    {
        foreach (var (key, value) in node)
        {
            var path = prefix.Length == 0 ? key : $"{prefix}.{key}";
            if (value is JsonObject child && child.Count > 0)
            {
                foreach (var pair in Flatten(child, path))
                {
                    yield return pair;
                }
            }
            else if (value is not null)
            {
                yield return (path, Text(value));
            }
        }
    }
}
