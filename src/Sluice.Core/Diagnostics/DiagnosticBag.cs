namespace Sluice.Core.Diagnostics;

/// <summary>Collects every problem of a spec instead of stopping at the first, so one answer lists them all.</summary>
public sealed class DiagnosticBag
{
    private readonly List<Diagnostic> _items = [];

    public IReadOnlyList<Diagnostic> Items => _items;

    public bool HasErrors => _items.Exists(d => d.Severity == Severity.Error);

    public IEnumerable<Diagnostic> Errors => _items.Where(d => d.Severity == Severity.Error);

    public IEnumerable<Diagnostic> Warnings => _items.Where(d => d.Severity == Severity.Warning);

    public void Error(SourceLocation location, string message, string? keyPath = null) =>
        _items.Add(new Diagnostic(Severity.Error, location, message, keyPath));

    public void Warning(SourceLocation location, string message, string? keyPath = null) =>
        _items.Add(new Diagnostic(Severity.Warning, location, message, keyPath));

    public void AddRange(IEnumerable<Diagnostic> diagnostics) => _items.AddRange(diagnostics);
}
