using System.Collections.Concurrent;
using Microsoft.ML.OnnxRuntime;

namespace Sluice.Scoring.Onnx;

/// <summary>
/// One <see cref="InferenceSession"/> per model per process, shared by every worker of that process (Run is
/// thread-safe). Sessions are reference-counted and released when the last worker lets go.
/// </summary>
public static class OnnxSessionPool
{
    private static readonly ConcurrentDictionary<string, Entry> Sessions = new(StringComparer.Ordinal);
    private static readonly Lock Gate = new();

    public static Lease Acquire(string modelFile, int intraOpThreads)
    {
        var key = $"{Path.GetFullPath(modelFile)}|{intraOpThreads}";
        lock (Gate)
        {
            if (!Sessions.TryGetValue(key, out var entry))
            {
                using var options = new SessionOptions
                {
                    IntraOpNumThreads = intraOpThreads,
                    InterOpNumThreads = 1,
                    ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
                    GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
                };
                entry = new Entry(new InferenceSession(modelFile, options));
                Sessions[key] = entry;
            }

            entry.References++;
            return new Lease(key, entry.Session);
        }
    }

    private static void Release(string key)
    {
        lock (Gate)
        {
            if (Sessions.TryGetValue(key, out var entry) && --entry.References == 0)
            {
                Sessions.TryRemove(key, out _);
                entry.Session.Dispose();
            }
        }
    }

    private sealed class Entry(InferenceSession session)
    {
        public InferenceSession Session { get; } = session;

        public int References { get; set; }
    }

    /// <summary>A worker's hold on a shared session.</summary>
    public sealed class Lease(string key, InferenceSession session) : IDisposable
    {
        private int _disposed;

        public InferenceSession Session { get; } = session;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Release(key);
            }
        }
    }
}
