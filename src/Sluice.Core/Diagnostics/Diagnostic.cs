namespace Sluice.Core.Diagnostics;

public enum Severity
{
    Error,
    Warning,
}

/// <summary>One problem found in a spec, with the key path it concerns (e.g. <c>settings.mini_batch_size</c>).</summary>
public sealed record Diagnostic(Severity Severity, SourceLocation Location, string Message, string? KeyPath = null)
{
    /// <summary>The compiler-style form users grep for: <c>FILE:LINE:COL: message</c>.</summary>
    public override string ToString() => Severity == Severity.Warning
        ? $"{Location}: warning: {Message}"
        : $"{Location}: {Message}";
}
