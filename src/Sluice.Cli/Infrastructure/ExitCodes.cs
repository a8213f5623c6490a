namespace Sluice.Cli.Infrastructure;

/// <summary>The CLI's exit codes; scripts rely on them, so they never change meaning.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>Something unexpected: the server unreachable, a bug, an I/O failure.</summary>
    public const int Error = 1;

    /// <summary>The job finished but failed (items or mini-batches failed beyond its budget).</summary>
    public const int JobFailed = 2;

    /// <summary>
    /// A check finished and found problems (<c>network lint --fail-on-findings</c>): like a failed job, the command
    /// worked and its result is a failure, so it shares the code.
    /// </summary>
    public const int Findings = 2;

    public const int JobCanceled = 3;

    /// <summary>Invalid arguments or spec, or a request the server refused as invalid (any 4xx).</summary>
    public const int Invalid = 5;
}
