namespace Sluice.Network.Model;

/// <summary>A network description with problems; <see cref="Errors"/> lists every one of them.</summary>
public sealed class NetworkModelException : NetworkException
{
    public NetworkModelException(IReadOnlyList<NetworkModelError> errors)
        : base(Describe(errors)) => Errors = errors;

    public NetworkModelException()
        : this([])
    {
    }

    public NetworkModelException(string message)
        : base(message) => Errors = [];

    public NetworkModelException(string message, Exception innerException)
        : base(message, innerException) => Errors = [];

    public IReadOnlyList<NetworkModelError> Errors { get; }

    private static string Describe(IReadOnlyList<NetworkModelError> errors) =>
        errors.Count == 1
            ? $"The network description has a problem: {errors[0]}"
            : $"The network description has {errors.Count} problems:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}";
}
