using System.Text.Json;
using System.Text.Json.Serialization;
using Sluice.Core.References;

namespace Sluice.Core.Specs;

/// <summary>
/// A field that names a registered asset (<c>model: azureml:m@latest</c>) or describes one inline
/// (<c>model: {path: ./model}</c>), as Azure ML deployments allow. Exactly one side is set.
/// </summary>
[JsonConverter(typeof(AssetBindingJsonConverterFactory))]
public sealed record AssetBinding<TSpec>
    where TSpec : ResourceSpec
{
    private AssetBinding(Reference? reference, TSpec? inline)
    {
        Reference = reference;
        Inline = inline;
    }

    public Reference? Reference { get; }

    public TSpec? Inline { get; }

    public static AssetBinding<TSpec> To(Reference reference) => new(reference, null);

    public static AssetBinding<TSpec> Of(TSpec inline) => new(null, inline);

    public override string ToString() => Reference?.Text ?? $"inline {Inline!.Kind.DisplayName()} '{Inline.Name}'";
}

public sealed class AssetBindingJsonConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(AssetBinding<>);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]))!;

    private sealed class Converter<TSpec> : JsonConverter<AssetBinding<TSpec>>
        where TSpec : ResourceSpec
    {
        public override AssetBinding<TSpec> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("Specs are read by the spec reader, which validates them; JSON is written only.");

        public override void Write(Utf8JsonWriter writer, AssetBinding<TSpec> value, JsonSerializerOptions options)
        {
            if (value.Reference is not null)
            {
                writer.WriteStringValue(value.Reference.Text);
            }
            else
            {
                JsonSerializer.Serialize(writer, value.Inline, value.Inline!.GetType(), options);
            }
        }
    }
}
