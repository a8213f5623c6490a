namespace Sluice.Server.Hosting;

/// <summary>This server's own API address, known once it listens (the port may be chosen at start-up); nodes it starts dial it.</summary>
public sealed class ServerUrl
{
    public Uri? Value { get; set; }
}
