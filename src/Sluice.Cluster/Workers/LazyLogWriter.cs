using System.Text;

namespace Sluice.Cluster.Workers;

/// <summary>
/// A log file that is created on the first write: a scorer that never writes to its log leaves no empty file, and a
/// script scorer's process can own the same file without this process holding it open.
/// </summary>
internal sealed class LazyLogWriter(string path) : TextWriter
{
    private StreamWriter? _writer;

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value) => Writer.Write(value);

    public override void Write(string? value) => Writer.Write(value);

    public override void Write(ReadOnlySpan<char> buffer) => Writer.Write(buffer);

    public override void WriteLine(string? value) => Writer.WriteLine(value);

    public override Task WriteLineAsync(string? value) => Writer.WriteLineAsync(value);

    public override Task WriteAsync(string? value) => Writer.WriteAsync(value);

    public override Task FlushAsync() => _writer?.FlushAsync() ?? Task.CompletedTask;

    public override void Flush() => _writer?.Flush();

    private StreamWriter Writer
    {
        get
        {
            if (_writer is null)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite), new UTF8Encoding(false)) { AutoFlush = true };
            }

            return _writer;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _writer?.Dispose();
            _writer = null;
        }

        base.Dispose(disposing);
    }
}
