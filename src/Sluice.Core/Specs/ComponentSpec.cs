using System.Text.Json;
using System.Text.Json.Serialization;
using Sluice.Core.References;

namespace Sluice.Core.Specs;

public enum ComponentType
{
    Command,
    Pipeline,
}

/// <summary>The types of component and job inputs and outputs.</summary>
public enum IoType
{
    UriFile,
    UriFolder,
    Mltable,
    MlflowModel,
    CustomModel,
    TritonModel,
    String,
    Integer,
    Number,
    Boolean,
}

/// <summary>A reusable step: a command, or a pipeline of steps.</summary>
[JsonDerivedType(typeof(CommandComponentSpec))]
[JsonDerivedType(typeof(PipelineComponentSpec))]
public abstract record ComponentSpec : VersionedResourceSpec
{

    [JsonPropertyOrder(-6)]
    public abstract ComponentType Type { get; }

    [JsonPropertyOrder(-5)]
    public string? DisplayName { get; init; }

    [JsonPropertyOrder(-4)]
    public IReadOnlyDictionary<string, ComponentInput> Inputs { get; init; } = new SortedDictionary<string, ComponentInput>(StringComparer.Ordinal);

    [JsonPropertyOrder(-3)]
    public IReadOnlyDictionary<string, ComponentOutput> Outputs { get; init; } = new SortedDictionary<string, ComponentOutput>(StringComparer.Ordinal);

    [JsonPropertyOrder(-2)]
    public bool IsDeterministic { get; init; } = true;
}

public sealed record CommandComponentSpec : ComponentSpec
{
    public override ComponentType Type => ComponentType.Command;

    public Reference? Code { get; init; }

    public required string Command { get; init; }

    public AssetBinding<EnvironmentSpec>? Environment { get; init; }
}

public sealed record PipelineComponentSpec : ComponentSpec
{
    public override ComponentType Type => ComponentType.Pipeline;

    public IReadOnlyDictionary<string, PipelineStep> Jobs { get; init; } = new SortedDictionary<string, PipelineStep>(StringComparer.Ordinal);
}

public sealed record ComponentInput
{
    public required IoType Type { get; init; }

    public string? Default { get; init; }

    public bool Optional { get; init; }

    public string? Description { get; init; }

    public double? Min { get; init; }

    public double? Max { get; init; }

    public IReadOnlyList<string>? Enum { get; init; }
}

public sealed record ComponentOutput
{
    public required IoType Type { get; init; }

    public string? Mode { get; init; }

    public string? Description { get; init; }
}

/// <summary>One step of a pipeline component.</summary>
public sealed record PipelineStep
{
    public ComponentType Type { get; init; } = ComponentType.Command;

    public required AssetBinding<ComponentSpec> Component { get; init; }

    public IReadOnlyDictionary<string, StepInput> Inputs { get; init; } = new SortedDictionary<string, StepInput>(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, StepOutput> Outputs { get; init; } = new SortedDictionary<string, StepOutput>(StringComparer.Ordinal);

    public string? Compute { get; init; }
}

/// <summary>A step input: a literal or a <c>${{parent…}}</c> binding, or an asset with a type.</summary>
[JsonConverter(typeof(StepInputJsonConverter))]
public sealed record StepInput
{
    public string? Value { get; init; }

    public Reference? Path { get; init; }

    public IoType? Type { get; init; }

    public string? Mode { get; init; }
}

public sealed record StepOutput
{
    public string? Mode { get; init; }

    /// <summary>A binding such as <c>${{parent.outputs.scores}}</c>, or a datastore path.</summary>
    public string? Path { get; init; }

    public IoType? Type { get; init; }
}

public sealed class StepInputJsonConverter : JsonConverter<StepInput>
{
    public override StepInput Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("Specs are read by the spec reader, which validates them; JSON is written only.");

    public override void Write(Utf8JsonWriter writer, StepInput value, JsonSerializerOptions options)
    {
        if (value.Path is null && value.Type is null && value.Mode is null)
        {
            writer.WriteStringValue(value.Value);
            return;
        }

        writer.WriteStartObject();
        if (value.Path is not null)
        {
            writer.WriteString("path", value.Path.Text);
        }
        else if (value.Value is not null)
        {
            writer.WriteString("path", value.Value);
        }

        if (value.Type is { } type)
        {
            writer.WriteString("type", Yaml.EnumNames<IoType>.ToName(type));
        }

        if (value.Mode is not null)
        {
            writer.WriteString("mode", value.Mode);
        }

        writer.WriteEndObject();
    }
}
