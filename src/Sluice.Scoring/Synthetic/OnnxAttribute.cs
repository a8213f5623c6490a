namespace Sluice.Scoring.Synthetic;

/// <summary>A node attribute (<c>AttributeProto</c>): one int, one float, or a list of ints.</summary>
public sealed class OnnxAttribute
{
    // AttributeProto.AttributeType in onnx.proto3.
    private const int TypeFloat = 1;
    private const int TypeInt = 2;
    private const int TypeInts = 7;

    // AttributeProto field numbers.
    private const int NameField = 1;
    private const int FloatField = 2;
    private const int IntField = 3;
    private const int IntsField = 8;
    private const int TypeField = 20;

    private readonly int type;
    private readonly long intValue;
    private readonly float floatValue;
    private readonly long[] intsValue;

    private OnnxAttribute(string name, int type, long intValue = 0, float floatValue = 0, long[]? intsValue = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        this.type = type;
        this.intValue = intValue;
        this.floatValue = floatValue;
        this.intsValue = intsValue ?? [];
    }

    public string Name { get; }

    public static OnnxAttribute Int(string name, long value) => new(name, TypeInt, intValue: value);

    public static OnnxAttribute Float(string name, float value) => new(name, TypeFloat, floatValue: value);

    public static OnnxAttribute Ints(string name, params ReadOnlySpan<long> values) => new(name, TypeInts, intsValue: values.ToArray());

    internal void WriteTo(ProtobufWriter writer)
    {
        writer.WriteString(NameField, Name);
        // Since IR version 2 the type is required: proto3 cannot tell "i = 0" from "no i".
        writer.WriteInt64(TypeField, type);
        switch (type)
        {
            case TypeInt:
                writer.WriteInt64(IntField, intValue);
                break;
            case TypeFloat:
                writer.WriteFloat(FloatField, floatValue);
                break;
            default:
                writer.WritePackedInt64(IntsField, intsValue);
                break;
        }
    }

    public override string ToString() => type switch
    {
        TypeInt => $"{Name}={intValue}",
        TypeFloat => $"{Name}={floatValue}",
        _ => $"{Name}=[{string.Join(", ", intsValue)}]",
    };
}
