using Sluice.Scoring.Output;

namespace Sluice.Scoring.Tests.Output;

public sealed class PooledByteBufferTests
{
    private static async Task<byte[]> BytesOf(PooledByteBuffer buffer)
    {
        using var copy = new MemoryStream();
        await buffer.CopyToAsync(copy, TestContext.Current.CancellationToken);
        return copy.ToArray();
    }

    [Fact]
    public async Task Write_InOddSizedPieces_KeepsEveryByteInOrder()
    {
        var random = new Random(1);
        var expected = new byte[(3 * PooledByteBuffer.ChunkSize) + 123];
        random.NextBytes(expected);
        using var buffer = new PooledByteBuffer();

        for (var at = 0; at < expected.Length;)
        {
            var count = Math.Min(random.Next(1, 9_000), expected.Length - at);
            buffer.Write(expected.AsSpan(at, count));
            at += count;
        }

        Assert.Equal(expected.Length, buffer.Length);
        Assert.Equal(expected, await BytesOf(buffer));
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(100, PooledByteBuffer.ChunkSize)]
    [InlineData(PooledByteBuffer.ChunkSize - 5, 10)]
    [InlineData(PooledByteBuffer.ChunkSize + 7, (2 * PooledByteBuffer.ChunkSize) + 1)]
    [InlineData(1_000, (4 * PooledByteBuffer.ChunkSize) - 1_000)]
    public async Task Remove_ARangeAcrossChunks_ShiftsTheRestDown(int start, int count)
    {
        var bytes = new byte[4 * PooledByteBuffer.ChunkSize];
        new Random(start + count).NextBytes(bytes);
        using var buffer = new PooledByteBuffer();
        buffer.Write(bytes);

        buffer.Remove(start, count);
        buffer.Write([1, 2, 3]);

        Assert.Equal([.. bytes.AsSpan(0, start), .. bytes.AsSpan(start + count), (byte)1, 2, 3], await BytesOf(buffer));
    }
}
