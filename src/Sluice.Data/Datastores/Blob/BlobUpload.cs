using System.Buffers;
using System.Globalization;
using System.Text;
using Azure;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace Sluice.Data.Datastores.Blob;

/// <summary>
/// A blob being written: its content is cut into fixed-size blocks, each staged (uploaded, uncommitted, invisible) as
/// soon as it is full, from one pooled buffer; the commit publishes the block list, hence the whole blob, at once.
/// Without overwrite the commit is conditioned on no blob existing (<c>If-None-Match: *</c>), so two writers cannot both
/// publish the same file. Disposing without committing publishes nothing: the service discards uncommitted blocks.
/// </summary>
internal sealed class BlobUpload : IDatastoreUpload
{
    private readonly BlockBlobClient _blob;
    private readonly string _path;
    private readonly bool _overwrite;
    private readonly BlobFailures _failures;
    private readonly List<string> _blocks = [];

    // Block ids of one blob must all have the same length; this upload's own prefix keeps its blocks apart from those
    // of another upload to the same name running at the same time.
    private readonly string _blockPrefix = Guid.NewGuid().ToString("N");
    private readonly BlockStream _stream;
    private byte[]? _buffer;
    private int _filled;
    private bool _committed;

    public BlobUpload(BlockBlobClient blob, string path, bool overwrite, int blockSize, BlobFailures failures)
    {
        _blob = blob;
        _path = path;
        _overwrite = overwrite;
        _failures = failures;
        _buffer = ArrayPool<byte>.Shared.Rent(blockSize);
        BlockSize = blockSize;
        _stream = new BlockStream(this);
    }

    public int BlockSize { get; }

    public Stream Content => _stream;

    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_buffer is null, this);
        if (_committed)
        {
            throw new InvalidOperationException($"'{_path}' was already committed.");
        }

        if (_filled > 0)
        {
            await StageAsync(cancellationToken);
        }

        var options = new CommitBlockListOptions();
        if (!_overwrite)
        {
            options.Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All };
        }

        try
        {
            await _blob.CommitBlockListAsync(_blocks, options, cancellationToken);
        }
        catch (RequestFailedException failed) when (!_overwrite && failed.Status is 409 or 412)
        {
            throw _failures.AlreadyExists(_path);
        }
        catch (Exception ex) when (_failures.Map(ex, "write", _path) is { } mapped)
        {
            throw mapped;
        }

        _committed = true;
    }

    public ValueTask DisposeAsync()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return ValueTask.CompletedTask;
    }

    private void Append(ReadOnlySpan<byte> data)
    {
        while (data.Length > 0)
        {
            var buffer = Buffer();
            var take = Math.Min(BlockSize - _filled, data.Length);
            data[..take].CopyTo(buffer.AsSpan(_filled));
            _filled += take;
            data = data[take..];
            if (_filled == BlockSize)
            {
                Stage();
            }
        }
    }

    private async ValueTask AppendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (data.Length > 0)
        {
            var buffer = Buffer();
            var take = Math.Min(BlockSize - _filled, data.Length);
            data[..take].CopyTo(buffer.AsMemory(_filled));
            _filled += take;
            data = data[take..];
            if (_filled == BlockSize)
            {
                await StageAsync(cancellationToken);
            }
        }
    }

    private byte[] Buffer()
    {
        ObjectDisposedException.ThrowIf(_buffer is null, this);
        return _committed ? throw new InvalidOperationException($"'{_path}' was committed; it takes no more content.") : _buffer;
    }

    private void Stage()
    {
        var id = NextBlockId();
        try
        {
            using var block = new MemoryStream(_buffer!, 0, _filled, writable: false);
            _blob.StageBlock(id, block);
        }
        catch (Exception ex) when (_failures.Map(ex, "write", _path) is { } mapped)
        {
            throw mapped;
        }

        _blocks.Add(id);
        _filled = 0;
    }

    private async Task StageAsync(CancellationToken cancellationToken)
    {
        var id = NextBlockId();
        try
        {
            using var block = new MemoryStream(_buffer!, 0, _filled, writable: false);
            await _blob.StageBlockAsync(id, block, cancellationToken: cancellationToken);
        }
        catch (Exception ex) when (_failures.Map(ex, "write", _path) is { } mapped)
        {
            throw mapped;
        }

        _blocks.Add(id);
        _filled = 0;
    }

    private string NextBlockId()
    {
        if (_blocks.Count == BlobDatastoreOptions.MaxBlocks)
        {
            throw new IOException($"{_failures.Where}: '{_path}' is too large for blocks of {BlockSize} bytes (a blob has at most {BlobDatastoreOptions.MaxBlocks} blocks).");
        }

        return Convert.ToBase64String(Encoding.ASCII.GetBytes($"{_blockPrefix}-{_blocks.Count.ToString("D6", CultureInfo.InvariantCulture)}"));
    }

    /// <summary>The write-only stream callers fill; it stages a block whenever the buffer is full.</summary>
    private sealed class BlockStream(BlobUpload upload) : Stream
    {
        private long _length;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position
        {
            get => _length;
            set => throw new NotSupportedException("An upload is written from start to end.");
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            upload.Append(buffer);
            _length += buffer.Length;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await upload.AppendAsync(buffer, cancellationToken);
            _length += buffer.Length;
        }

        public override void WriteByte(byte value) => Write([value]);

        // Blocks are staged when full and the rest on commit: flushing has nothing to send early.
        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("An upload is write-only.");

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("An upload is written from start to end.");

        public override void SetLength(long value) => throw new NotSupportedException("An upload is written from start to end.");
    }
}
