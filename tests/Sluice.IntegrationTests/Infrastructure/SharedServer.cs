namespace Sluice.IntegrationTests.Infrastructure;

/// <summary>
/// One real server for a test class, for tests that only create and read resources. Each test works in a workspace
/// of its own (<see cref="WorkspaceAsync"/>), so tests share the process but no data.
/// </summary>
public sealed class SharedServer : IAsyncLifetime
{
    private RunningServer? _server;

    public RunningServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    public string Url => Server.Url;

    public async ValueTask InitializeAsync() => _server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>Creates a workspace for one test and returns a CLI bound to it.</summary>
    public async Task<CliDriver> WorkspaceAsync(string name, string? location = null)
    {
        string[] args = location is null ? ["workspace", "create", "-n", name] : ["workspace", "create", "-n", name, "--set", $"location={location}"];
        await new CliDriver(Url).OkAsync(args);
        return new CliDriver(Url, name);
    }
}
