using Sluice.Cli.Infrastructure;
using Sluice.IntegrationTests.Infrastructure;
using static Sluice.IntegrationTests.Infrastructure.SampleSpecs;

namespace Sluice.IntegrationTests.Resources;

public sealed class BatchEndpointCrudTests
{
    [Fact]
    public async Task Endpoint_CreateShowListUpdateDelete_ThroughTheCli()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("endpoint");
        var cli = new CliDriver(server.Url);
        var file = folder.Write("endpoint.yml", """
            $schema: https://azuremlschemas.azureedge.net/latest/batchEndpoint.schema.json
            name: scorer
            description: scores tables
            auth_mode: aad_token
            """);

        var created = (await cli.OkAsync("batch-endpoint", "create", "-f", file)).Json();
        Assert.Equal("/workspaces/default/batchEndpoints/scorer", At(created, "id"));

        var shown = (await cli.OkAsync("batch-endpoint", "show", "-n", "scorer")).Json();
        Assert.Equal("public", At(shown, "network_mode"));
        Assert.Equal($"{server.Url}/workspaces/default/batchEndpoints/scorer/jobs", At(shown, "scoring_uri"));
        Assert.Equal("scores tables", At(shown, "description"));
        Assert.Equal("aad_token", At(shown, "auth_mode"));
        Assert.Null(At(shown, "defaults.deployment_name"));

        Assert.Equal(["scorer"], Names(await cli.OkAsync("batch-endpoint", "list", "-o", "json")));

        var updated = (await cli.OkAsync("batch-endpoint", "update", "-n", "scorer", "--set", "description=scores more tables")).Json();
        Assert.Equal("scores more tables", At(updated, "description"));
        var reshown = (await cli.OkAsync("batch-endpoint", "show", "-n", "scorer")).Json();
        Assert.Equal("scores more tables", At(reshown, "description"));
        Assert.Equal("public", At(reshown, "network_mode"));

        await cli.OkAsync("batch-endpoint", "delete", "-n", "scorer", "--yes");
        var gone = await cli.RunAsync("batch-endpoint", "show", "-n", "scorer");
        Assert.True(gone.ExitCode == ExitCodes.Invalid, gone.ToString());
        Assert.Empty(Names(await cli.OkAsync("batch-endpoint", "list", "-o", "json")));
    }

    [Fact]
    public async Task Endpoint_InPrivateWorkspace_TakesPrivateNetworkMode()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        await new CliDriver(server.Url).OkAsync("workspace", "create", "-n", "sealed", "--public-network-access", "Disabled");
        var cli = new CliDriver(server.Url, "sealed");

        await cli.OkAsync("batch-endpoint", "create", "-n", "scorer");

        Assert.Equal("private", At((await cli.OkAsync("batch-endpoint", "show", "-n", "scorer")).Json(), "network_mode"));
    }

    [Fact]
    public async Task Endpoint_UpdateDefaultsDeploymentName_MovesTheDefault()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("project");
        var project = TabularProject.Create(folder, "scorer");
        var cli = new CliDriver(server.Url);
        await project.DeployAsync(cli);
        await cli.OkAsync("batch-deployment", "create", "-f", project.DeploymentFile, "-n", "challenger");
        Assert.Equal("classifier", At((await cli.OkAsync("batch-endpoint", "show", "-n", "scorer")).Json(), "defaults.deployment_name"));

        var updated = (await cli.OkAsync("batch-endpoint", "update", "-n", "scorer", "--set", "defaults.deployment_name=challenger")).Json();

        Assert.Equal("challenger", At(updated, "defaults.deployment_name"));
        Assert.Equal("challenger", At((await cli.OkAsync("batch-endpoint", "show", "-n", "scorer")).Json(), "defaults.deployment_name"));
    }

    [Fact]
    public async Task Endpoint_Delete_RemovesItsDeployments()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("project");
        var project = TabularProject.Create(folder, "scorer");
        var cli = new CliDriver(server.Url);
        await project.DeployAsync(cli);

        await cli.OkAsync("batch-endpoint", "delete", "-n", "scorer", "--yes");

        // Recreated under the same name, the endpoint starts empty: its old deployments went with it.
        await cli.OkAsync("batch-endpoint", "create", "-f", project.EndpointFile);
        Assert.Empty(Names(await cli.OkAsync("batch-deployment", "list", "-e", "scorer", "-o", "json")));
        var gone = await cli.RunAsync("batch-deployment", "show", "-n", "classifier", "-e", "scorer");
        Assert.True(gone.ExitCode == ExitCodes.Invalid, gone.ToString());
        Assert.Null(At((await cli.OkAsync("batch-endpoint", "show", "-n", "scorer")).Json(), "defaults.deployment_name"));
    }
}
