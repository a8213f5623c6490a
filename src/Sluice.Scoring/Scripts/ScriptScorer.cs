using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using Sluice.Scoring.Abstractions;

namespace Sluice.Scoring.Scripts;

/// <summary>Where a script scorer runs and writes.</summary>
public sealed record ScriptScorerOptions(
    string Interpreter,
    string Script,
    string HostScript,
    string StdoutLog,
    string StderrLog,
    IReadOnlyDictionary<string, string> Environment);

/// <summary>A failure inside the scoring script, with its Python exception type and traceback.</summary>
public sealed class ScriptException : Exception
{
    public ScriptException(string errorType, string message, string? traceback = null)
        : base(message)
    {
        ErrorType = errorType;
        ScriptTraceback = traceback;
    }

    public ScriptException()
        : this("ScriptError", "the scoring script failed")
    {
    }

    public ScriptException(string message)
        : this("ScriptError", message)
    {
    }

    public ScriptException(string message, Exception innerException)
        : base(message, innerException)
    {
        ErrorType = "ScriptError";
    }

    public string ErrorType { get; }

    public string? ScriptTraceback { get; }
}

/// <summary>
/// Runs an Azure ML scoring script unchanged (<c>init()</c> once, <c>run(mini_batch)</c> per mini-batch) in a worker
/// process of the configured interpreter. A process that dies is restarted and re-initialised on the next
/// mini-batch; a cancelled or timed-out run kills it. The script's prints and tracebacks land in the worker's logs.
/// </summary>
public sealed class ScriptScorer(ScriptScorerOptions options) : IBatchScorer, IDisposable
{
    private Process? _process;
    private int _nextId;

    public async ValueTask InitAsync(ScorerContext context, CancellationToken cancellationToken) => await StartAsync(cancellationToken);

    public async ValueTask RunAsync(IReadOnlyList<string> miniBatch, ScoreOutput output, CancellationToken cancellationToken)
    {
        if (_process is null || _process.HasExited)
        {
            await StartAsync(cancellationToken);
        }

        var process = _process!;
        var id = ++_nextId;
        using var kill = cancellationToken.Register(Kill);
        string? line;
        try
        {
            await process.StandardInput.WriteLineAsync(JsonSerializer.Serialize(new { id, files = miniBatch }).AsMemory(), cancellationToken);
            await process.StandardInput.FlushAsync(cancellationToken);
            line = await process.StandardOutput.ReadLineAsync(cancellationToken);
        }
        catch (IOException) when (!cancellationToken.IsCancellationRequested)
        {
            line = null;
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (line is null)
        {
            await process.WaitForExitAsync(CancellationToken.None);
            throw new ScriptException("WorkerProcessExited", $"the script's worker process exited with code {process.ExitCode} while scoring this mini-batch; it is restarted for the next one (its stderr is in the worker's stderr log)");
        }

        using var reply = JsonDocument.Parse(line);
        var root = reply.RootElement;
        if (root.TryGetProperty("error", out var error))
        {
            throw new ScriptException(error.GetString() ?? "Error", root.GetProperty("message").GetString() ?? string.Empty, root.GetProperty("traceback").GetString());
        }

        var columns = root.GetProperty("columns").EnumerateArray().Select(c => c.GetString() ?? string.Empty).ToArray();
        if (columns.Length > 0)
        {
            output.SetColumns(columns);
        }

        foreach (var row in root.GetProperty("rows").EnumerateArray())
        {
            output.AddRow(row.EnumerateArray().Select(Value).ToArray());
        }
    }

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        Kill();
        var start = new ProcessStartInfo(options.Interpreter)
        {
            ArgumentList = { options.HostScript, options.Script, options.StdoutLog, options.StderrLog },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(options.Script)!,
        };
        foreach (var (key, value) in options.Environment)
        {
            start.Environment[key] = value;
        }

        start.Environment["PYTHONUNBUFFERED"] = "1";
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        try
        {
            _process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {options.Interpreter}");
        }
        catch (Win32Exception ex)
        {
            throw new ScriptException("InterpreterNotFound", $"the interpreter '{options.Interpreter}' could not be started ({ex.Message}); install it, or name another one with 'interpreter:' in the deployment's environment");
        }

        using var kill = cancellationToken.Register(Kill);
        var first = await _process.StandardOutput.ReadLineAsync(cancellationToken);
        if (first is null)
        {
            await _process.WaitForExitAsync(CancellationToken.None);
            throw new ScriptException("ScriptInitError", $"the scoring script's process exited with code {_process.ExitCode} before init() finished (see the worker's stderr log)");
        }

        using var hello = JsonDocument.Parse(first);
        if (hello.RootElement.TryGetProperty("init_error", out var initError))
        {
            var message = hello.RootElement.GetProperty("message").GetString();
            throw new ScriptException(initError.GetString() ?? "ScriptInitError", $"init() failed: {initError.GetString()}: {message}", hello.RootElement.GetProperty("traceback").GetString());
        }
    }

    private static object? Value(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number when value.TryGetInt64(out var whole) => whole,
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.String => value.GetString(),
        _ => value.GetRawText(),
    };

    private void Kill()
    {
        try
        {
            if (_process is { HasExited: false })
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public void Dispose()
    {
        Kill();
        _process?.Dispose();
    }

    /// <summary>Writes the host script (shipped inside this assembly) to a folder once and returns its path.</summary>
    public static string ExtractHostScript(string folder)
    {
        Directory.CreateDirectory(folder);
        using var resource = typeof(ScriptScorer).Assembly.GetManifestResourceStream("sluice_host.py")
            ?? throw new InvalidOperationException("the script host resource is missing from Sluice.Scoring");
        using var reader = new StreamReader(resource);
        var text = reader.ReadToEnd();
        var path = Path.Combine(folder, $"sluice_host_{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..12]}.py");
        if (!File.Exists(path))
        {
            var temporary = path + $".{Environment.ProcessId}.tmp";
            File.WriteAllText(temporary, text);
            File.Move(temporary, path, overwrite: true);
        }

        return path;
    }
}
