using Sluice.Core.Diagnostics;

namespace Sluice.Server.Api;

/// <summary>One problem of several, keyed by the request field or model path it concerns.</summary>
public sealed record KeyedProblem(string Key, string Message)
{
    public override string ToString() => $"{Key}: {Message}";
}

/// <summary>
/// A domain error that lists every problem found rather than the first, each keyed by what it concerns; answered as
/// problem details with <c>errors[]</c>, like an invalid spec. Used for request parameters checked together and for a
/// workspace network that does not build.
/// </summary>
public sealed class ProblemListException : SluiceException
{
    public ProblemListException(SluiceErrorKind kind, string title, string message, IReadOnlyList<KeyedProblem> problems, string? hint = null)
        : base(message, kind, hint)
    {
        Title = title;
        Problems = problems;
    }

    public IReadOnlyList<KeyedProblem> Problems { get; }
}

/// <summary>Collects problems with a request's parameters, so one answer names every bad field.</summary>
internal sealed class RequestProblems
{
    private readonly List<KeyedProblem> _problems = [];

    public bool Any => _problems.Count > 0;

    public void Add(string field, string message) => _problems.Add(new KeyedProblem(field, message));

    /// <summary>Throws a 400 listing every problem, when there is one.</summary>
    public void ThrowIfAny()
    {
        if (_problems.Count == 0)
        {
            return;
        }

        var message = _problems.Count == 1
            ? _problems[0].ToString()
            : $"The request has {_problems.Count} problems: {string.Join("; ", _problems)}";
        throw new ProblemListException(SluiceErrorKind.Invalid, "Invalid request", message, [.. _problems]);
    }
}
