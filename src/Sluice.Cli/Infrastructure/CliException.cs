namespace Sluice.Cli.Infrastructure;

/// <summary>A failure to report as one clear line (plus details) and an exit code, without a stack trace.</summary>
public sealed class CliException : Exception
{
    public CliException(string message, int exitCode, IReadOnlyList<string>? details = null, string? hint = null)
        : base(message)
    {
        ExitCode = exitCode;
        Details = details ?? [];
        Hint = hint;
    }

    public CliException()
        : this("Error.", ExitCodes.Error)
    {
    }

    public CliException(string message)
        : this(message, ExitCodes.Error)
    {
    }

    public CliException(string message, Exception innerException)
        : base(message, innerException)
    {
        ExitCode = ExitCodes.Error;
        Details = [];
    }

    public int ExitCode { get; }

    public IReadOnlyList<string> Details { get; }

    public string? Hint { get; }
}
