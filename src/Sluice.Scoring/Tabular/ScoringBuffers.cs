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

    /// <summary>1 GiB: a whole CSV file (or slice) and its floats; larger files are not pooled.</summary>
    private const int MaxArrayLength = 1 << 30;

    public static ArrayPool<byte> Bytes { get; } = ArrayPool<byte>.Create(MaxArrayLength, ArraysPerSize);

    public static ArrayPool<float> Floats { get; } = ArrayPool<float>.Create(MaxArrayLength, ArraysPerSize);
}
