namespace Sluice.Network;

/// <summary>The root of this library's exceptions: a network description or input that cannot be used as given.</summary>
public class NetworkException : Exception
{
    public NetworkException()
    {
    }

    public NetworkException(string message)
        : base(message)
    {
    }

    public NetworkException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
