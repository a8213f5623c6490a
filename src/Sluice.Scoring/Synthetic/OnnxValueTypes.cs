namespace Sluice.Scoring.Synthetic;

/// <summary>Tensor element types the synthetic models use, numbered as <c>TensorProto.DataType</c> in onnx.proto3.</summary>
public enum OnnxElementType
{
    Float = 1,
    Int64 = 7,
}

/// <summary>
/// One dimension of a declared tensor shape: a fixed size, or a named symbol (such as the batch dimension <c>N</c>)
/// that the runtime fills in per call. Converts implicitly from a number or a name, so a shape reads <c>["N", 4]</c>.
/// </summary>
public readonly record struct OnnxDim
{
    private OnnxDim(long? size, string? symbol)
    {
        Size = size;
        Symbol = symbol;
    }

    /// <summary>The fixed size, when the dimension has one.</summary>
    public long? Size { get; }

    /// <summary>The symbol's name, when the dimension is symbolic.</summary>
    public string? Symbol { get; }

    public static OnnxDim Fixed(long size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        return new OnnxDim(size, null);
    }

    public static OnnxDim Symbolic(string symbol)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(symbol);
        return new OnnxDim(null, symbol);
    }

    public static implicit operator OnnxDim(long size) => Fixed(size);

    public static implicit operator OnnxDim(string symbol) => Symbolic(symbol);

    public static OnnxDim FromInt64(long size) => Fixed(size);

    public static OnnxDim FromString(string symbol) => Symbolic(symbol);

    public override string ToString() => Symbol ?? Size?.ToString() ?? "?";
}
