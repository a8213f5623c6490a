namespace Sluice.Data.Datastores.Blob;

/// <summary>
/// How a <see cref="BlobDatastoreClient"/> moves data. The memory one client holds is bounded by these sizes: one
/// block per upload in progress and one read buffer per open stream, whatever the size of the blobs.
/// </summary>
public sealed class BlobDatastoreOptions
{
    /// <summary>The largest block an upload may use (Azure's limit is 4,000 MiB; 100 MiB keeps memory sane).</summary>
    public const int MaxBlockSize = 100 << 20;

    /// <summary>Azure's limit on the blocks of one blob.</summary>
    public const int MaxBlocks = 50_000;

    public static BlobDatastoreOptions Default { get; } = new();

    /// <summary>
    /// The size of the blocks an upload stages as its content fills (default 8 MiB): the memory one upload holds, and
    /// with Azure's 50,000 blocks per blob, a largest file of about 390 GiB.
    /// </summary>
    public int BlockSize { get; init; } = 8 << 20;

    /// <summary>The size of the ranges a read stream downloads at a time (default 4 MiB): the memory one open stream holds.</summary>
    public int ReadBufferSize { get; init; } = 4 << 20;

    /// <summary>How many times a request that failed transiently (timeouts, 408, 429, 5xx, broken connections) is tried again (default 4).</summary>
    public int MaxRetries { get; init; } = 4;

    /// <summary>The first wait before a retry (default 0.5 s); it doubles, with jitter, at each retry.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(0.5);

    /// <summary>The longest wait between two tries (default 10 s).</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one try may take before it counts as failed and is retried (default 100 s).</summary>
    public TimeSpan NetworkTimeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>Throws when a value is out of range, naming it and its range.</summary>
    public void Validate()
    {
        if (BlockSize is < 1 or > MaxBlockSize)
        {
            throw new ArgumentOutOfRangeException(nameof(BlockSize), BlockSize, $"BlockSize must be 1 to {MaxBlockSize} bytes.");
        }

        if (ReadBufferSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ReadBufferSize), ReadBufferSize, "ReadBufferSize must be at least 1 byte.");
        }

        if (MaxRetries is < 0 or > 20)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRetries), MaxRetries, "MaxRetries must be 0 to 20.");
        }

        if (RetryDelay < TimeSpan.Zero || MaxRetryDelay < RetryDelay)
        {
            throw new ArgumentOutOfRangeException(nameof(RetryDelay), RetryDelay, "RetryDelay must not be negative nor above MaxRetryDelay.");
        }

        if (NetworkTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(NetworkTimeout), NetworkTimeout, "NetworkTimeout must be positive.");
        }
    }
}
