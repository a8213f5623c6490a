using System.Buffers;

namespace Sluice.Scoring.Tabular;

/// <summary>
/// The pools behind the scorer's file buffers. Bounded pools of our own rather than <c>ArrayPool.Shared</c>: the shared
/// pool keeps an array per thread, and a worker's next file is often read on another thread-pool thread, which then
/// allocates afresh — large-object garbage per file. These pools hand any thread the arrays any thread returned, and
/// keep at most <see cref="ArraysPerSize"/> of each size, so what they hold follows the workers in flight, not the input.
/// </summary>
internal static class ScoringBuffers
{
    /// <summary>Two workers per core on the largest machines Sluice targets, plus a prefetch each.</summary>
    internal const int ArraysPerSize = 8;

    /// <summary>
    /// The largest array pooled: 32 MB of bytes (a CSV file or slice of ~300,000 rows of 8 features) or of floats.
    /// Larger files get arrays of their own, which the collector reclaims: these pools never trim, so what they keep
    /// must stay small beside a node's memory whatever files a job once read.
    /// </summary>
    private const int MaxPooledBytes = 32 * 1024 * 1024;

    public static ArrayPool<byte> Bytes { get; } = ArrayPool<byte>.Create(MaxPooledBytes, ArraysPerSize);

    public static ArrayPool<float> Floats { get; } = ArrayPool<float>.Create(MaxPooledBytes / sizeof(float), ArraysPerSize);
}
