namespace Sluice.Core.Diagnostics;

/// <summary>Thrown when a spec cannot be accepted; carries every problem found, not only the first.</summary>
public sealed class SpecException : SluiceException
{
    public SpecException(IReadOnlyList<Diagnostic> diagnostics)
        : base(Summarize(diagnostics), SluiceErrorKind.Invalid)
    {
        Diagnostics = diagnostics;
    }

    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    private static string Summarize(IReadOnlyList<Diagnostic> diagnostics)
    {
        var errors = diagnostics.Where(d => d.Severity == Severity.Error).ToList();
        return errors.Count switch
        {
            0 => "The spec is invalid.",
            1 => errors[0].ToString(),
            _ => $"The spec has {errors.Count} problems; the first: {errors[0]}",
        };
    }
}
