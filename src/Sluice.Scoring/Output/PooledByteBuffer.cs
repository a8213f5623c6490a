using System.Collections.Concurrent;

namespace Sluice.Scoring.Output;

/// <summary>
/// An append-only byte buffer in fixed 64 KB chunks taken from a bounded pool of the process's own: a mini-batch's
/// encoded rows grow without the copies and large-object-heap arrays of a doubling <see cref="MemoryStream"/>, and the
/// chunks go back to the pool for the next mini-batch. The pool keeps at most <see cref="MaxPooledChunks"/> chunks, so
/// what it holds is bounded by the largest output alive at once, never by a job's size.
/// </summary>
internal sealed class PooledByteBuffer : Stream
{
    /// <summary>Below the large-object-heap threshold (85,000 bytes): a chunk the pool drops is ordinary gen-0 garbage.</summary>
    internal const int ChunkSize = 64 * 1024;

    /// <summary>128 MB of chunks: two workers' outputs of a 1,000,000-row file each.</summary>
    internal const int MaxPooledChunks = 2048;

    private static readonly ConcurrentQueue<byte[]> Pool = new();
    private static int _pooled;

    private readonly List<byte[]> _chunks = [];
    private long _length;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _length;

    public override long Position
    {
        get => _length;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            var inChunk = (int)(_length % ChunkSize);
            if (inChunk == 0 && _length / ChunkSize == _chunks.Count)
            {
                _chunks.Add(Rent());
            }

            var target = _chunks[(int)(_length / ChunkSize)].AsSpan(inChunk);
            var count = Math.Min(target.Length, buffer.Length);
            buffer[..count].CopyTo(target);
            buffer = buffer[count..];
            _length += count;
        }
    }

    public override void WriteByte(byte value) => Write([value]);

    // Writes go to memory and complete at once. Without these overrides Stream's asynchronous writes (a StreamWriter's
    // FlushAsync makes them) queue each one to the thread pool behind a semaphore: measured as lock contention and
    // thread hops for every mini-batch of a million-file job.
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested ? Task.FromCanceled(cancellationToken) : Task.CompletedTask;

    /// <summary>Cuts <paramref name="count"/> bytes out at <paramref name="start"/>, shifting what follows.</summary>
    public void Remove(long start, long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + count, _length);
        var to = start;
        var from = start + count;
        while (from < _length)
        {
            var source = Span(from, _length - from);
            var target = Span(to, _length - to);
            var n = Math.Min(source.Length, target.Length);
            source[..n].CopyTo(target);
            from += n;
            to += n;
        }

        SetLength(_length - count);
    }

    public override void SetLength(long value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, _length);
        _length = value;
        var keep = (int)((value + ChunkSize - 1) / ChunkSize);
        for (var i = _chunks.Count - 1; i >= keep; i--)
        {
            Return(_chunks[i]);
            _chunks.RemoveAt(i);
        }
    }

    public override async Task CopyToAsync(Stream destination, int bufferSize, CancellationToken cancellationToken)
    {
        for (var i = 0; i < _chunks.Count; i++)
        {
            var count = (int)Math.Min(ChunkSize, _length - ((long)i * ChunkSize));
            await destination.WriteAsync(_chunks[i].AsMemory(0, count), cancellationToken);
        }
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            SetLength(0);
        }

        base.Dispose(disposing);
    }

    /// <summary>The bytes from <paramref name="position"/> to the end of its chunk, at most <paramref name="max"/>.</summary>
    private Span<byte> Span(long position, long max)
    {
        var inChunk = (int)(position % ChunkSize);
        return _chunks[(int)(position / ChunkSize)].AsSpan(inChunk, (int)Math.Min(ChunkSize - inChunk, max));
    }

    private static byte[] Rent()
    {
        if (Pool.TryDequeue(out var chunk))
        {
            Interlocked.Decrement(ref _pooled);
            return chunk;
        }

        return new byte[ChunkSize];
    }

    private static void Return(byte[] chunk)
    {
        if (Interlocked.Increment(ref _pooled) <= MaxPooledChunks)
        {
            Pool.Enqueue(chunk);
        }
        else
        {
            Interlocked.Decrement(ref _pooled);
        }
    }
}
