using System.Buffers.Binary;

namespace Sluice.Scoring.Synthetic;

/// <summary>
/// Builds a small ONNX model (one graph of default-domain operators, float weights stored inline) and serializes its
/// <c>ModelProto</c> by hand. Field numbers are those of onnx.proto3; the graph is not checked here, the runtime that
/// loads it does that.
/// </summary>
/// <example>
/// <code>
/// var bytes = new OnnxModelWriter("scale")
///     .AddInput("x", OnnxElementType.Float, ["N", 2])
///     .AddInitializer("w", [2f, 3f], 2)
///     .AddNode("Mul", ["x", "w"], ["y"])
///     .AddOutput("y", OnnxElementType.Float, ["N", 2])
///     .ToArray();
/// </code>
/// </example>
public sealed class OnnxModelWriter
{
    /// <summary>IR version 8 (ONNX 1.10): old enough for any current runtime, new enough for opset 13.</summary>
    public const long IrVersion = 8;

    public const long DefaultOpsetVersion = 13;

    public const string Producer = "sluice";

    // ModelProto
    private const int ModelIrVersion = 1;
    private const int ModelProducerName = 2;
    private const int ModelDocString = 6;
    private const int ModelGraph = 7;
    private const int ModelOpsetImport = 8;

    // OperatorSetIdProto (the domain, field 1, is left empty: the default ONNX domain)
    private const int OpsetIdVersion = 2;

    // GraphProto
    private const int GraphNode = 1;
    private const int GraphName = 2;
    private const int GraphInitializer = 5;
    private const int GraphInput = 11;
    private const int GraphOutput = 12;

    // NodeProto
    private const int NodeInput = 1;
    private const int NodeOutput = 2;
    private const int NodeName = 3;
    private const int NodeOpType = 4;
    private const int NodeAttribute = 5;

    // TensorProto
    private const int TensorDims = 1;
    private const int TensorDataType = 2;
    private const int TensorName = 8;
    private const int TensorRawData = 9;

    // ValueInfoProto, TypeProto, TypeProto.Tensor, TensorShapeProto, TensorShapeProto.Dimension
    private const int ValueInfoName = 1;
    private const int ValueInfoType = 2;
    private const int TypeTensorType = 1;
    private const int TensorTypeElemType = 1;
    private const int TensorTypeShape = 2;
    private const int ShapeDim = 1;
    private const int DimValue = 1;
    private const int DimParam = 2;

    private readonly List<ValueInfo> inputs = [];
    private readonly List<ValueInfo> outputs = [];
    private readonly List<Initializer> initializers = [];
    private readonly List<Node> nodes = [];

    /// <param name="name">The graph's name, which runtimes report as the model's name.</param>
    /// <param name="opsetVersion">The version of the default ONNX operator set the nodes are bound to.</param>
    public OnnxModelWriter(string name, long opsetVersion = DefaultOpsetVersion)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(opsetVersion, 1);
        Name = name;
        OpsetVersion = opsetVersion;
    }

    public string Name { get; }

    public long OpsetVersion { get; }

    /// <summary>The model's <c>doc_string</c>, which runtimes report as its description.</summary>
    public string? Description { get; init; }

    public OnnxModelWriter AddInput(string name, OnnxElementType type, params IReadOnlyList<OnnxDim> shape)
    {
        inputs.Add(new ValueInfo(CheckName(name), type, CheckShape(shape)));
        return this;
    }

    public OnnxModelWriter AddOutput(string name, OnnxElementType type, params IReadOnlyList<OnnxDim> shape)
    {
        outputs.Add(new ValueInfo(CheckName(name), type, CheckShape(shape)));
        return this;
    }

    /// <summary>A constant float tensor, stored as little-endian <c>raw_data</c>.</summary>
    /// <param name="values">The elements in row-major order.</param>
    /// <param name="dims">The tensor's shape; the product of the dimensions must equal the number of values.</param>
    public OnnxModelWriter AddInitializer(string name, ReadOnlySpan<float> values, params ReadOnlySpan<long> dims)
    {
        long count = 1;
        foreach (var dim in dims)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(dim, nameof(dims));
            count *= dim;
        }

        if (count != values.Length)
        {
            throw new ArgumentException($"Initializer '{name}' has shape [{string.Join(", ", dims.ToArray())}] ({count} elements) but {values.Length} values.", nameof(values));
        }

        var raw = new byte[values.Length * sizeof(float)];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * sizeof(float)), values[i]);
        }

        initializers.Add(new Initializer(CheckName(name), dims.ToArray(), raw));
        return this;
    }

    /// <summary>A constant matrix, shape [rows, columns].</summary>
    public OnnxModelWriter AddInitializer(string name, float[,] matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var flat = new float[matrix.Length];
        var columns = matrix.GetLength(1);
        for (var r = 0; r < matrix.GetLength(0); r++)
        {
            for (var c = 0; c < columns; c++)
            {
                flat[r * columns + c] = matrix[r, c];
            }
        }

        return AddInitializer(name, flat, matrix.GetLength(0), columns);
    }

    /// <summary>A node of the default ONNX domain. Nodes must be added in topological order.</summary>
    public OnnxModelWriter AddNode(string opType, IReadOnlyList<string> nodeInputs, IReadOnlyList<string> nodeOutputs, params IReadOnlyList<OnnxAttribute> attributes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(opType);
        ArgumentNullException.ThrowIfNull(nodeInputs);
        ArgumentNullException.ThrowIfNull(nodeOutputs);
        ArgumentNullException.ThrowIfNull(attributes);
        nodes.Add(new Node($"{opType}_{nodes.Count}", opType, [.. nodeInputs], [.. nodeOutputs], [.. attributes]));
        return this;
    }

    /// <summary>The serialized <c>ModelProto</c>, ready for <c>InferenceSession</c> or a <c>.onnx</c> file.</summary>
    public byte[] ToArray()
    {
        var model = new ProtobufWriter();
        model.WriteInt64(ModelIrVersion, IrVersion);
        model.WriteString(ModelProducerName, Producer);
        if (!string.IsNullOrEmpty(Description))
        {
            model.WriteString(ModelDocString, Description);
        }

        model.WriteMessage(ModelGraph, WriteGraph);
        model.WriteMessage(ModelOpsetImport, opset => opset.WriteInt64(OpsetIdVersion, OpsetVersion));
        return model.WrittenSpan.ToArray();
    }

    private void WriteGraph(ProtobufWriter graph)
    {
        foreach (var node in nodes)
        {
            graph.WriteMessage(GraphNode, node.WriteTo);
        }

        graph.WriteString(GraphName, Name);
        foreach (var initializer in initializers)
        {
            graph.WriteMessage(GraphInitializer, initializer.WriteTo);
        }

        foreach (var input in inputs)
        {
            graph.WriteMessage(GraphInput, input.WriteTo);
        }

        foreach (var output in outputs)
        {
            graph.WriteMessage(GraphOutput, output.WriteTo);
        }
    }

    private static string CheckName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return name;
    }

    private static OnnxDim[] CheckShape(IReadOnlyList<OnnxDim> shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Any(d => d.Size is null && d.Symbol is null))
        {
            throw new ArgumentException("A dimension must have a size or a symbol (default(OnnxDim) has neither).", nameof(shape));
        }

        return [.. shape];
    }

    private sealed record ValueInfo(string Name, OnnxElementType Type, OnnxDim[] Shape)
    {
        public void WriteTo(ProtobufWriter valueInfo)
        {
            valueInfo.WriteString(ValueInfoName, Name);
            valueInfo.WriteMessage(ValueInfoType, type => type.WriteMessage(TypeTensorType, tensor =>
            {
                tensor.WriteInt64(TensorTypeElemType, (long)Type);
                tensor.WriteMessage(TensorTypeShape, shape =>
                {
                    foreach (var dim in Shape)
                    {
                        shape.WriteMessage(ShapeDim, d =>
                        {
                            if (dim.Symbol is { } symbol)
                            {
                                d.WriteString(DimParam, symbol);
                            }
                            else
                            {
                                d.WriteInt64(DimValue, dim.Size!.Value);
                            }
                        });
                    }
                });
            }));
        }
    }

    private sealed record Initializer(string Name, long[] Dims, byte[] RawData)
    {
        public void WriteTo(ProtobufWriter tensor)
        {
            tensor.WritePackedInt64(TensorDims, Dims);
            tensor.WriteInt64(TensorDataType, (long)OnnxElementType.Float);
            tensor.WriteString(TensorName, Name);
            tensor.WriteBytes(TensorRawData, RawData);
        }
    }

    private sealed record Node(string Name, string OpType, string[] Inputs, string[] Outputs, OnnxAttribute[] Attributes)
    {
        public void WriteTo(ProtobufWriter node)
        {
            foreach (var input in Inputs)
            {
                node.WriteString(NodeInput, input);
            }

            foreach (var output in Outputs)
            {
                node.WriteString(NodeOutput, output);
            }

            node.WriteString(NodeName, Name);
            node.WriteString(NodeOpType, OpType);
            foreach (var attribute in Attributes)
            {
                node.WriteMessage(NodeAttribute, attribute.WriteTo);
            }
        }
    }
}
