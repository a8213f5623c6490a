using System.Net;
using Sluice.Cli.Infrastructure;
using Sluice.IntegrationTests.Infrastructure;
using static Sluice.IntegrationTests.Infrastructure.SampleSpecs;

namespace Sluice.IntegrationTests.Api;

public sealed class DefaultDeploymentRuleTests
{
    private const string DefaultFirstHint = "make another deployment the default first";

    [Fact]
    public async Task DeleteDefaultDeployment_ViaHttp_IsRefusedWithConflictAndHint()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("project");
        using var api = new RawApi(server.Url);
        await TabularProject.Create(folder, "scorer").DeployAsync(new CliDriver(server.Url));

        var problem = await api.ProblemAsync(HttpStatusCode.Conflict, HttpMethod.Delete, "/workspaces/default/batchEndpoints/scorer/deployments/classifier");

        Assert.Contains("is the default deployment of batch endpoint 'scorer'", (string?)problem["detail"], StringComparison.Ordinal);
        Assert.Contains(DefaultFirstHint, (string?)problem["hint"], StringComparison.Ordinal);
        Assert.Contains("--set defaults.deployment_name=", (string?)problem["hint"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await api.StatusOfAsync("/workspaces/default/batchEndpoints/scorer/deployments/classifier"));
    }

    [Fact]
    public async Task DeleteDefaultDeployment_ViaCli_ExitsInvalidWithHint()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("project");
        var cli = new CliDriver(server.Url);
        await TabularProject.Create(folder, "scorer").DeployAsync(cli);

        var result = await cli.RunAsync("batch-deployment", "delete", "-n", "classifier", "-e", "scorer", "--yes");

        Assert.True(result.ExitCode == ExitCodes.Invalid, result.ToString());
        Assert.Contains($"hint: {DefaultFirstHint}", result.Error, StringComparison.Ordinal);
        Assert.Equal(["classifier"], Names(await cli.OkAsync("batch-deployment", "list", "-e", "scorer", "-o", "json")));
        Assert.Equal("classifier", At((await cli.OkAsync("batch-endpoint", "show", "-n", "scorer")).Json(), "defaults.deployment_name"));
    }

    [Fact]
    public async Task Invoke_EndpointWithoutDeployments_ViaHttp_IsRefusedAsNoValidDeployments()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var api = new RawApi(server.Url);
        await new CliDriver(server.Url).OkAsync("batch-endpoint", "create", "-n", "scorer");
        const string body = """{"properties": {"InputData": {"input": {"JobInputType": "UriFolder", "Uri": "azureml://datastores/workspaceblobstore/paths/inputs/"}}}}""";

        var problem = await api.ProblemAsync(HttpStatusCode.Conflict, HttpMethod.Post, "/workspaces/default/batchEndpoints/scorer/jobs", RawApi.Json(body));

        Assert.Equal("No valid deployments to route to", (string?)problem["title"]);
        Assert.Contains("has no default deployment", (string?)problem["detail"], StringComparison.Ordinal);
        Assert.Empty((await api.GetAsync("/workspaces/default/batchEndpoints/scorer/jobs"))["value"]!.AsArray());
    }

    [Fact]
    public async Task Invoke_EndpointWithoutDeployments_ViaCli_ExitsInvalid()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("input");
        var cli = new CliDriver(server.Url);
        await cli.OkAsync("batch-endpoint", "create", "-n", "scorer");

        var result = await cli.RunAsync("batch-endpoint", "invoke", "-n", "scorer", "--input", DataFolder(folder, "inputs", "x"));

        Assert.True(result.ExitCode == ExitCodes.Invalid, result.ToString());
        Assert.Contains("No valid deployments to route to", result.Error, StringComparison.Ordinal);
        Assert.Empty((await cli.OkAsync("batch-endpoint", "list-jobs", "-n", "scorer", "-o", "json")).Json().AsArray());
    }
}
