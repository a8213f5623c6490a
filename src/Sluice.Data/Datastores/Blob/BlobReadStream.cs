using Azure.Storage.Blobs;

namespace Sluice.Data.Datastores.Blob;

/// <summary>
/// The SDK's read stream (ranges downloaded into one bounded buffer as reading goes on, each conditioned on the blob's
/// ETag at opening), with its failures reported as Sluice's: a blob deleted or replaced while it is read fails with a
/// message naming the datastore and the path. Seeking is supported, so readers can jump to a slice of the blob.
/// </summary>
internal sealed class BlobReadStream(Stream inner, BlobClient blob, string path, BlobFailures failures) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => inner.CanSeek;

    public override bool CanWrite => false;

    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => inner.Position = value;
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        try
        {
            return inner.Read(buffer, offset, count);
        }
        catch (Exception ex) when (BlobFailures.IsChanged(ex))
        {
            throw Changed(blob.Exists().Value);
        }
        catch (Exception ex) when (Map(ex) is { } mapped)
        {
            throw mapped;
        }
    }

    public override int Read(Span<byte> buffer)
    {
        try
        {
            return inner.Read(buffer);
        }
        catch (Exception ex) when (BlobFailures.IsChanged(ex))
        {
            throw Changed(blob.Exists().Value);
        }
        catch (Exception ex) when (Map(ex) is { } mapped)
        {
            throw mapped;
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await inner.ReadAsync(buffer, cancellationToken);
        }
        catch (Exception ex) when (BlobFailures.IsChanged(ex))
        {
            throw Changed((await blob.ExistsAsync(cancellationToken)).Value);
        }
        catch (Exception ex) when (Map(ex) is { } mapped)
        {
            throw mapped;
        }
    }

    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException("A datastore read stream is read-only.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("A datastore read stream is read-only.");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync();
        await base.DisposeAsync();
    }

    private Exception? Map(Exception ex) => failures.Map(ex, "read", path, whileReading: true);

    /// <summary>
    /// The blob no longer has the ETag the stream opened with: deleted (Azurite answers so rather than with
    /// BlobNotFound), or replaced by another version.
    /// </summary>
    private IOException Changed(bool exists) => exists
        ? new IOException($"{failures.Where}: '{path}' was replaced while it was being read (ConditionNotMet); read it again once it no longer changes.")
        : failures.DeletedWhileReading(path);
}
