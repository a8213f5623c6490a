using System.Net;
using Sluice.Cli.Infrastructure;
using Sluice.IntegrationTests.Infrastructure;
using static Sluice.IntegrationTests.Infrastructure.SampleSpecs;

namespace Sluice.IntegrationTests.Api;

public sealed class InvalidNameTests
{
    [Fact]
    public async Task EndpointNamedX_ViaCli_IsRefusedWithTheNamingRule()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        var cli = new CliDriver(server.Url);

        var result = await cli.RunAsync("batch-endpoint", "create", "-n", "x");

        Assert.True(result.ExitCode == ExitCodes.Invalid, result.ToString());
        Assert.Contains("'x' is not a valid name: an endpoint name has 3 to 32 characters", result.Error, StringComparison.Ordinal);
        Assert.Empty(Names(await cli.OkAsync("batch-endpoint", "list", "-o", "json")));
    }

    [Fact]
    public async Task EndpointNamedX_ViaHttp_IsRefusedWithTheNamingRule()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var api = new RawApi(server.Url);

        var problem = await api.ProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Put, "/workspaces/default/batchEndpoints/x", RawApi.Json("{\"description\": \"too short a name\"}"));

        Assert.Contains("'x' is not a valid name", (string?)problem["detail"], StringComparison.Ordinal);
        Assert.Equal("name", (string?)problem["errors"]![0]!["key"]);
        Assert.Empty((await api.GetAsync("/workspaces/default/batchEndpoints"))["value"]!.AsArray());
    }

    [Fact]
    public async Task WorkspaceNameWithSpaces_ViaCli_IsRefusedWithTheNamingRule()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        var cli = new CliDriver(server.Url);

        var result = await cli.RunAsync("workspace", "create", "-n", "my workspace");

        Assert.True(result.ExitCode == ExitCodes.Invalid, result.ToString());
        Assert.Contains("'my workspace' is not a valid name: a workspace name has 3 to 33 characters", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("my workspace", Names(await cli.OkAsync("workspace", "list", "-o", "json")));
    }

    [Fact]
    public async Task WorkspaceNameWithSpaces_ViaHttp_IsRefusedWithTheNamingRule()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var api = new RawApi(server.Url);

        var problem = await api.ProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Put, "/workspaces/my%20workspace", RawApi.Json("{\"description\": \"spaces\"}"));

        Assert.Contains("'my workspace' is not a valid name", (string?)problem["detail"], StringComparison.Ordinal);
        var names = (await api.GetAsync("/workspaces"))["value"]!.AsArray().Select(w => (string?)w!["name"]);
        Assert.DoesNotContain("my workspace", names);
    }
}
