using System.Net;
using Sluice.Cli.Infrastructure;
using Sluice.IntegrationTests.Infrastructure;

namespace Sluice.IntegrationTests.Api;

public sealed class ProblemDetailsTests
{
    [Theory]
    [InlineData("/workspaces/nowhere")]
    [InlineData("/workspaces/nowhere/batchEndpoints")]
    [InlineData("/workspaces/nowhere/models/classifier/versions/1")]
    public async Task UnknownWorkspace_Is404ProblemDetailsWithHowToCreateIt(string path)
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var api = new RawApi(server.Url);

        var problem = await api.ProblemAsync(HttpStatusCode.NotFound, HttpMethod.Get, path);

        Assert.Equal("Workspace 'nowhere' was not found.", (string?)problem["detail"]);
        Assert.Contains("sluice workspace create -n nowhere", (string?)problem["hint"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownWorkspace_ViaCli_ExitsInvalidWithHint()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);

        var result = await new CliDriver(server.Url, "nowhere").RunAsync("batch-endpoint", "list");

        Assert.True(result.ExitCode == ExitCodes.Invalid, result.ToString());
        Assert.Contains("error: Workspace 'nowhere' was not found.", result.Error, StringComparison.Ordinal);
        Assert.Contains("hint: create it with 'sluice workspace create -n nowhere'", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/no/such/route")]
    [InlineData("/workspaces/default/widgets")]
    public async Task UnknownRoute_Is404ProblemDetails(string path)
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var api = new RawApi(server.Url);

        await api.ProblemAsync(HttpStatusCode.NotFound, HttpMethod.Get, path);
    }

    [Fact]
    public async Task UnsupportedMethodOnKnownRoute_Is405ProblemDetails()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var api = new RawApi(server.Url);

        await api.ProblemAsync(HttpStatusCode.MethodNotAllowed, HttpMethod.Patch, "/workspaces/default/batchEndpoints/scorer", RawApi.Json("{}"));
    }
}
