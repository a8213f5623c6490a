using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Sluice.Scoring.Synthetic;

/// <summary>
/// The few pieces of the protocol buffers wire format that an ONNX model needs, written by hand so that Sluice
/// carries no protobuf library or generated code for a file it only ever writes.
/// </summary>
/// <remarks>
/// Every field is a key (<c>field_number &lt;&lt; 3 | wire_type</c>, as a varint) followed by its value:
/// a varint (wire type 0) for integers and enums, four little-endian bytes (wire type 5) for a float, or a varint
/// length and that many bytes (wire type 2) for strings, bytes, nested messages and packed repeated integers.
/// Fields may appear in any order, and a parser must accept repeated integers packed or not, so this writer always
/// packs them. Proto3 readers treat absent fields as zero; writing a zero explicitly is equally valid.
/// </remarks>
internal sealed class ProtobufWriter
{
    private const int WireVarint = 0;
    private const int WireLengthDelimited = 2;
    private const int WireFixed32 = 5;

    private readonly ArrayBufferWriter<byte> buffer = new();

    public ReadOnlySpan<byte> WrittenSpan => buffer.WrittenSpan;

    /// <summary>An <c>int32</c>, <c>int64</c> or enum field.</summary>
    public void WriteInt64(int field, long value)
    {
        WriteKey(field, WireVarint);
        // Negative numbers are sign-extended to 64 bits, so they always take ten bytes (proto's int64, not sint64).
        WriteVarint(unchecked((ulong)value));
    }

    /// <summary>A <c>float</c> field.</summary>
    public void WriteFloat(int field, float value)
    {
        WriteKey(field, WireFixed32);
        BinaryPrimitives.WriteSingleLittleEndian(buffer.GetSpan(4), value);
        buffer.Advance(4);
    }

    /// <summary>A <c>string</c> field, UTF-8 encoded.</summary>
    public void WriteString(int field, string value)
    {
        WriteKey(field, WireLengthDelimited);
        var length = Encoding.UTF8.GetByteCount(value);
        WriteVarint((ulong)length);
        var written = Encoding.UTF8.GetBytes(value, buffer.GetSpan(length));
        buffer.Advance(written);
    }

    /// <summary>A <c>bytes</c> field.</summary>
    public void WriteBytes(int field, ReadOnlySpan<byte> value)
    {
        WriteKey(field, WireLengthDelimited);
        WriteVarint((ulong)value.Length);
        buffer.Write(value);
    }

    /// <summary>A <c>repeated int64</c> field in packed form: one length-delimited run of varints.</summary>
    public void WritePackedInt64(int field, ReadOnlySpan<long> values)
    {
        var body = new ProtobufWriter();
        foreach (var value in values)
        {
            body.WriteVarint(unchecked((ulong)value));
        }

        WriteBytes(field, body.WrittenSpan);
    }

    /// <summary>
    /// A nested message. Its length comes first on the wire, so the message is written to a buffer of its own and then
    /// copied; the largest copy is a model's weights, a few hundred kilobytes at most for the synthetic models.
    /// </summary>
    public void WriteMessage(int field, Action<ProtobufWriter> writeBody)
    {
        var body = new ProtobufWriter();
        writeBody(body);
        WriteBytes(field, body.WrittenSpan);
    }

    private void WriteKey(int field, int wireType) => WriteVarint((ulong)((uint)field << 3 | (uint)wireType));

    /// <summary>Seven bits per byte, least significant group first; the high bit says another byte follows.</summary>
    private void WriteVarint(ulong value)
    {
        var span = buffer.GetSpan(10);
        var length = 0;
        while (value >= 0x80)
        {
            span[length++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[length++] = (byte)value;
        buffer.Advance(length);
    }
}
