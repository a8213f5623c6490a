using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sluice.Core.References;

/// <summary>Writes references as the text users type. Reading goes through the spec reader, which validates, so this converter only writes.</summary>
public sealed class ReferenceJsonConverter : JsonConverter<Reference>
{
    public override Reference Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString() ?? throw new JsonException("A reference must be a string.");
        return ReferenceParser.TryParse(text, ReferenceForms.AssetOrPath | ReferenceForms.Data | ReferenceForms.Named, null, out var reference, out var error)
            ? reference!
            : throw new JsonException(error);
    }

    public override void Write(Utf8JsonWriter writer, Reference value, JsonSerializerOptions options) => writer.WriteStringValue(value.Text);
}
