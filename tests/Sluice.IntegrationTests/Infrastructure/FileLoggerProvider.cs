using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Sluice.IntegrationTests.Infrastructure;

/// <summary>
/// Writes a test server's log to a file, so that a failing test can show what the server did (console output of
/// background threads is not attributed to the test that caused it).
/// </summary>
public sealed class FileLoggerProvider(string path) : ILoggerProvider
{
    private readonly StreamWriter _writer = new(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete)) { AutoFlush = true };
    private readonly ConcurrentDictionary<string, FileLogger> _loggers = new(StringComparer.Ordinal);

    public string Path { get; } = path;

    public ILogger CreateLogger(string categoryName) => _loggers.GetOrAdd(categoryName, c => new FileLogger(this, c));

    /// <summary>The last <paramref name="lines"/> lines written so far.</summary>
    public string Tail(int lines = 80)
    {
        lock (_writer)
        {
            using var reader = new StreamReader(new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
            var all = reader.ReadToEnd().Split('\n');
            return string.Join('\n', all.TakeLast(lines));
        }
    }

    public void Dispose()
    {
        lock (_writer)
        {
            _writer.Dispose();
        }
    }

    private void Write(string line)
    {
        lock (_writer)
        {
            if (_writer.BaseStream.CanWrite)
            {
                _writer.WriteLine(line);
            }
        }
    }

    private sealed class FileLogger(FileLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = $"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel.ToString()[..4].ToLowerInvariant()} {category}: {formatter(state, exception)}";
            owner.Write(exception is null ? line : $"{line} {exception.GetType().Name}: {exception.Message}");
        }
    }
}
