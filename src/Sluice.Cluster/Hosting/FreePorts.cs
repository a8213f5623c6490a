using System.Net;
using System.Net.Sockets;

namespace Sluice.Cluster.Hosting;

/// <summary>Asks the kernel for unused loopback ports.</summary>
public static class FreePorts
{
    public static int Pick()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
