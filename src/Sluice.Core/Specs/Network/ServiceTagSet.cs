using System.Buffers;
using System.Text;
using System.Text.Json;
using Sluice.Core.Diagnostics;

namespace Sluice.Core.Specs.Network;

/// <summary>An imported file of Azure's service tags (<c>ServiceTags_Public.json</c>): one cloud's tags and their prefixes.</summary>
public sealed record ServiceTagSet(string Cloud, long ChangeNumber, IReadOnlyList<ImportedServiceTag> Values)
{
    public int PrefixCount => Values.Sum(v => v.AddressPrefixes.Count);

    public ImportedServiceTag? Find(string name) =>
        Values.FirstOrDefault(v => string.Equals(v.Name, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>One tag of an imported set, with Azure's properties.</summary>
public sealed record ImportedServiceTag
{
    public required string Name { get; init; }

    public string? Id { get; init; }

    public long ChangeNumber { get; init; }

    /// <summary>The region the tag is scoped to (<c>westeurope</c>), or null for global tags.</summary>
    public string? Region { get; init; }

    public long? RegionId { get; init; }

    public string? Platform { get; init; }

    public string? SystemService { get; init; }

    /// <summary>Canonical CIDRs (IPv4 and IPv6).</summary>
    public IReadOnlyList<string> AddressPrefixes { get; init; } = [];

    public IReadOnlyList<string> NetworkFeatures { get; init; } = [];
}

/// <summary>
/// Reads and writes Azure's published service tag JSON
/// (<c>{"changeNumber":N,"cloud":"Public","values":[{"name","id","properties":{…,"addressPrefixes":[…]}}]}</c>).
/// The stored form is the same format, so an imported set reads back through the same checks.
/// </summary>
public static class ServiceTagFile
{
    /// <summary>Problems past this many are counted, not listed: a wrong file would otherwise produce thousands.</summary>
    public const int MaxReported = 50;

    public static (ServiceTagSet? Set, IReadOnlyList<Diagnostic> Diagnostics) Read(string text, string source)
    {
        var bag = new DiagnosticBag();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            bag.Error(new SourceLocation(source, (ex.LineNumber ?? 0) + 1, (ex.BytePositionInLine ?? 0) + 1), $"not valid JSON: {ex.Message.Split(" LineNumber:")[0].TrimEnd('.', ' ')}");
            return (null, bag.Items);
        }

        using (document)
        {
            var problems = new Problems(bag, source);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                problems.Add("$", "expected an object with 'changeNumber', 'cloud' and 'values', as in Azure's ServiceTags_*.json files");
                return (null, bag.Items);
            }

            var cloud = String(root, "cloud", "$", problems, required: true);
            var changeNumber = Number(root, "changeNumber", "$", problems) ?? 0;
            var values = new List<ImportedServiceTag>();
            if (!root.TryGetProperty("values", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                problems.Add("values", "expected the list of tags ('values': [...])");
            }
            else
            {
                var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
                var index = 0;
                foreach (var item in list.EnumerateArray())
                {
                    var path = $"values[{index}]";
                    if (ReadTag(item, path, problems) is { } tag)
                    {
                        if (seen.TryGetValue(tag.Name, out var first))
                        {
                            problems.Add(path, $"tag '{tag.Name}' is listed twice (first at values[{first}])");
                        }
                        else
                        {
                            seen[tag.Name] = index;
                            values.Add(tag);
                        }
                    }

                    index++;
                }
            }

            problems.Finish();
            if (bag.HasErrors || cloud is null)
            {
                return (null, bag.Items);
            }

            if (Naming.ResourceNames.Network(cloud) is { } badCloud)
            {
                bag.Error(new SourceLocation(source), $"cloud: {badCloud}");
                return (null, bag.Items);
            }

            return (new ServiceTagSet(cloud, changeNumber, values), bag.Items);
        }
    }

    /// <summary>The set in Azure's format, compact.</summary>
    public static string Write(ServiceTagSet set)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("changeNumber", set.ChangeNumber);
            writer.WriteString("cloud", set.Cloud);
            writer.WriteStartArray("values");
            foreach (var tag in set.Values)
            {
                writer.WriteStartObject();
                writer.WriteString("name", tag.Name);
                writer.WriteString("id", tag.Id ?? tag.Name);
                writer.WriteStartObject("properties");
                writer.WriteNumber("changeNumber", tag.ChangeNumber);
                writer.WriteString("region", tag.Region ?? string.Empty);
                if (tag.RegionId is { } regionId)
                {
                    writer.WriteNumber("regionId", regionId);
                }

                WriteIfSet(writer, "platform", tag.Platform);
                writer.WriteString("systemService", tag.SystemService ?? string.Empty);
                WriteArray(writer, "addressPrefixes", tag.AddressPrefixes);
                WriteArray(writer, "networkFeatures", tag.NetworkFeatures);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static ImportedServiceTag? ReadTag(JsonElement item, string path, Problems problems)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            problems.Add(path, "expected an object with 'name' and 'properties'");
            return null;
        }

        var name = String(item, "name", path, problems, required: true);
        if (name is not null && ServiceTags.CheckName(name) is not null)
        {
            problems.Add($"{path}.name", $"'{name}' is not a service tag name (letters, digits, '.', '-' and '_', starting with a letter)");
            name = null;
        }

        var where = name is null ? path : $"{path} ('{name}')";
        if (!item.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object)
        {
            problems.Add(where, "expected 'properties' with 'addressPrefixes'");
            return null;
        }

        var prefixes = new List<string>();
        if (!properties.TryGetProperty("addressPrefixes", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            problems.Add($"{where}.properties", "expected 'addressPrefixes': [...]");
        }
        else
        {
            var i = 0;
            foreach (var prefix in list.EnumerateArray())
            {
                var text = prefix.ValueKind == JsonValueKind.String ? prefix.GetString()! : prefix.ToString();
                // Published files are generated: a block with stray host bits still means its masked block.
                if (NetworkAddresses.TryParseCidr(text, out var network, maskHostBits: true) is { } problem)
                {
                    problems.Add($"{where}.properties.addressPrefixes[{i}]", problem);
                }
                else
                {
                    prefixes.Add(network.ToString());
                }

                i++;
            }
        }

        var features = new List<string>();
        if (properties.TryGetProperty("networkFeatures", out var featureList) && featureList.ValueKind == JsonValueKind.Array)
        {
            features.AddRange(featureList.EnumerateArray().Where(f => f.ValueKind == JsonValueKind.String).Select(f => f.GetString()!));
        }

        return name is null
            ? null
            : new ImportedServiceTag
            {
                Name = name,
                Id = String(item, "id", path, problems, required: false),
                ChangeNumber = Number(properties, "changeNumber", $"{where}.properties", problems) ?? 0,
                Region = NullIfEmpty(String(properties, "region", $"{where}.properties", problems, required: false)),
                RegionId = Number(properties, "regionId", $"{where}.properties", problems),
                Platform = String(properties, "platform", $"{where}.properties", problems, required: false),
                SystemService = NullIfEmpty(String(properties, "systemService", $"{where}.properties", problems, required: false)),
                AddressPrefixes = prefixes,
                NetworkFeatures = features,
            };
    }

    private static string? String(JsonElement parent, string key, string path, Problems problems, bool required)
    {
        if (!parent.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                problems.Add(path, $"missing '{key}'");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            problems.Add($"{path}.{key}", $"expected text, got {value.ValueKind.ToString().ToLowerInvariant()}");
            return null;
        }

        return value.GetString();
    }

    private static long? Number(JsonElement parent, string key, string path, Problems problems)
    {
        if (!parent.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number))
        {
            return number;
        }

        problems.Add($"{path}.{key}", $"expected a whole number, got {value}");
        return null;
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static void WriteIfSet(Utf8JsonWriter writer, string key, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(key, value);
        }
    }

    private static void WriteArray(Utf8JsonWriter writer, string key, IReadOnlyList<string> values)
    {
        writer.WriteStartArray(key);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    /// <summary>Collects problems by JSON path, listing the first <see cref="MaxReported"/>.</summary>
    private sealed class Problems(DiagnosticBag bag, string source)
    {
        private int _count;

        public void Add(string path, string message)
        {
            if (++_count <= MaxReported)
            {
                bag.Error(new SourceLocation(source), $"{path}: {message}", path);
            }
        }

        public void Finish()
        {
            if (_count > MaxReported)
            {
                bag.Error(new SourceLocation(source), $"and {_count - MaxReported} more problems");
            }
        }
    }
}
