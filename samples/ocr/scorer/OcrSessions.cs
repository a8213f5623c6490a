using Microsoft.ML.OnnxRuntime;

namespace Samples.Ocr;

/// <summary>
/// One <see cref="InferenceSession"/> per model file and thread setting per process, shared by every worker (Run is
/// thread-safe) and released when the last one lets go. Sluice's own session pool does the same for its built-in
/// scorers, but a .NET scorer is built on its own against Sluice.Scoring.Abstractions alone, so a plug-in keeps its own.
/// </summary>
public static class OcrSessions
{
    private static readonly Dictionary<string, Entry> Sessions = new(StringComparer.Ordinal);
    private static readonly Lock Gate = new();

    public static Lease Acquire(string modelFile, int intraOpThreads)
    {
        if (!File.Exists(modelFile))
        {
            throw new FileNotFoundException($"the recognition model {modelFile} does not exist; scripts/ocr-model.sh install fetches it and scripts/ocr-model.sh path prints its folder", modelFile);
        }

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
                Sessions.Remove(key);
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
