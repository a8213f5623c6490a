namespace Sluice.Core.Diagnostics;

/// <summary>What went wrong, in the terms a caller acts on; the HTTP layer maps it to a status code.</summary>
public enum SluiceErrorKind
{
    /// <summary>The request or spec is malformed or breaks a rule (400).</summary>
    Invalid,

    /// <summary>A named resource does not exist (404).</summary>
    NotFound,

    /// <summary>The request conflicts with the current state, e.g. deleting the default deployment (409).</summary>
    Conflict,

    /// <summary>The request is well formed but the system cannot serve it now; retrying may help (503).</summary>
    Unavailable,

    /// <summary>The caller may not make this request from where it is, e.g. outside a private workspace's networks (403).</summary>
    Forbidden,
}

/// <summary>The root of Sluice's domain exceptions. <see cref="Hint"/> tells the user how to fix the problem.</summary>
public class SluiceException : Exception
{
    public SluiceException(string message, SluiceErrorKind kind, string? hint = null, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        Hint = hint;
    }

    public SluiceException()
        : this("Sluice error.", SluiceErrorKind.Invalid)
    {
    }

    public SluiceException(string message)
        : this(message, SluiceErrorKind.Invalid)
    {
    }

    public SluiceException(string message, Exception innerException)
        : this(message, SluiceErrorKind.Invalid, null, innerException)
    {
    }

    public SluiceErrorKind Kind { get; }

    public string? Hint { get; }

    /// <summary>A short headline for the problem (e.g. Azure's "No valid deployments to route to"); null uses the kind's.</summary>
    public string? Title { get; init; }

    public bool IsRetryable => Kind == SluiceErrorKind.Unavailable;

    public static SluiceException NotFound(string what, string? hint = null) =>
        new($"{what} was not found.", SluiceErrorKind.NotFound, hint);

    public static SluiceException Conflict(string message, string? hint = null) =>
        new(message, SluiceErrorKind.Conflict, hint);

    public static SluiceException Forbidden(string message, string? hint = null) =>
        new(message, SluiceErrorKind.Forbidden, hint) { Title = "Forbidden" };

    public static SluiceException Invalid(string message, string? hint = null) =>
        new(message, SluiceErrorKind.Invalid, hint);
}
