using Sluice.Scoring.Synthetic;

namespace Sluice.Scoring.Tests.Synthetic;

/// <summary>The wire format, checked against the worked examples of the protocol buffers encoding guide.</summary>
public sealed class ProtobufWriterTests
{
    [Fact]
    public void WriteInt64_EncodesMultiByteVarint()
    {
        var writer = new ProtobufWriter();
        writer.WriteInt64(1, 150);
        Assert.Equal([0x08, 0x96, 0x01], writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void WriteInt64_Negative_TakesTenBytes()
    {
        var writer = new ProtobufWriter();
        writer.WriteInt64(1, -1);
        Assert.Equal([0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void WriteString_IsLengthDelimitedUtf8()
    {
        var writer = new ProtobufWriter();
        writer.WriteString(2, "testing");
        Assert.Equal([0x12, 0x07, (byte)'t', (byte)'e', (byte)'s', (byte)'t', (byte)'i', (byte)'n', (byte)'g'], writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void WritePackedInt64_WritesOneLengthDelimitedRun()
    {
        var writer = new ProtobufWriter();
        writer.WritePackedInt64(4, [3, 270, 86942]);
        Assert.Equal([0x22, 0x06, 0x03, 0x8E, 0x02, 0x9E, 0xA7, 0x05], writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void WriteFloat_IsFixed32LittleEndian()
    {
        var writer = new ProtobufWriter();
        writer.WriteFloat(2, 1.0f);
        Assert.Equal([0x15, 0x00, 0x00, 0x80, 0x3F], writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void WriteMessage_PrefixesNestedMessageWithItsLength()
    {
        var writer = new ProtobufWriter();
        writer.WriteMessage(3, inner => inner.WriteInt64(1, 150));
        Assert.Equal([0x1A, 0x03, 0x08, 0x96, 0x01], writer.WrittenSpan.ToArray());
    }
}
