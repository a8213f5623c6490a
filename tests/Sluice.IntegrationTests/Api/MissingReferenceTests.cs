using System.Net;
using Sluice.Cli.Infrastructure;
using Sluice.IntegrationTests.Infrastructure;
using static Sluice.IntegrationTests.Infrastructure.SampleSpecs;

namespace Sluice.IntegrationTests.Api;

/// <summary>A deployment that names something missing is refused whole: no deployment, no inline model, no new default.</summary>
public sealed class MissingReferenceTests
{
    [Fact]
    public async Task Deployment_ReferringToMissingModel_IsRefused_AndNothingIsStored()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("project");
        var project = TabularProject.Create(folder, "scorer");
        var cli = new CliDriver(server.Url);
        await project.DeployAsync(cli);
        var file = folder.Write("broken.yml", "name: broken\nendpoint_name: scorer\nmodel: azureml:nope:1\n");

        var result = await cli.RunAsync("batch-deployment", "create", "-f", file, "--set-default");

        Assert.True(result.ExitCode == ExitCodes.Invalid, result.ToString());
        Assert.Contains("refers to model 'azureml:nope:1', which does not exist", result.Error, StringComparison.Ordinal);
        await AssertUnchangedAsync(cli);
    }

    [Fact]
    public async Task Deployment_ReferringToMissingModel_ViaHttp_Is400ProblemDetails()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var api = new RawApi(server.Url);
        await new CliDriver(server.Url).OkAsync("batch-endpoint", "create", "-n", "scorer");

        var problem = await api.ProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Put, "/workspaces/default/batchEndpoints/scorer/deployments/broken", RawApi.Json("{\"model\": \"azureml:nope:1\"}"));

        Assert.Contains("'azureml:nope:1', which does not exist", (string?)problem["detail"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, await api.StatusOfAsync("/workspaces/default/batchEndpoints/scorer/deployments/broken"));
        Assert.Null(At(await api.GetAsync("/workspaces/default/batchEndpoints/scorer"), "defaults.deployment_name"));
    }

    [Fact]
    public async Task Deployment_ForMissingEndpoint_IsRefused_AndNeitherEndpointNorModelIsCreated()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("project");
        var project = TabularProject.Create(folder, "ghost");
        var cli = new CliDriver(server.Url);

        var result = await cli.RunAsync("batch-deployment", "create", "-f", project.DeploymentFile);

        Assert.True(result.ExitCode == ExitCodes.Invalid, result.ToString());
        Assert.Contains("Batch endpoint 'ghost' does not exist", result.Error, StringComparison.Ordinal);
        Assert.Empty(Names(await cli.OkAsync("batch-endpoint", "list", "-o", "json")));
        Assert.Empty(Names(await cli.OkAsync("model", "list", "-o", "json")));
    }

    [Fact]
    public async Task Deployment_OnMissingCompute_IsRefused_AndNothingIsStored()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("project");
        var project = TabularProject.Create(folder, "scorer");
        var cli = new CliDriver(server.Url);
        await project.DeployAsync(cli);

        var result = await cli.RunAsync("batch-deployment", "create", "-f", project.DeploymentFile, "-n", "broken", "--set", "compute=azureml:ghost-cluster", "--set-default");

        Assert.True(result.ExitCode == ExitCodes.Invalid, result.ToString());
        Assert.Contains("runs on compute 'ghost-cluster', which does not exist", result.Error, StringComparison.Ordinal);
        await AssertUnchangedAsync(cli);
    }

    /// <summary>Only the original deployment, still the default, and only the model version it registered.</summary>
    private static async Task AssertUnchangedAsync(CliDriver cli)
    {
        Assert.Equal(["classifier"], Names(await cli.OkAsync("batch-deployment", "list", "-e", "scorer", "-o", "json")));
        Assert.Equal("classifier", At((await cli.OkAsync("batch-endpoint", "show", "-n", "scorer")).Json(), "defaults.deployment_name"));
        Assert.Equal(["1"], (await cli.OkAsync("model", "list", "-n", "scorer-model", "-o", "json")).Json().AsArray().Select(m => At(m, "version")));
    }
}
