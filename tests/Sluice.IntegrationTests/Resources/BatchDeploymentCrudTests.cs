using Sluice.Cli.Infrastructure;
using Sluice.IntegrationTests.Infrastructure;
using static Sluice.IntegrationTests.Infrastructure.SampleSpecs;

namespace Sluice.IntegrationTests.Resources;

public sealed class BatchDeploymentCrudTests
{
    [Fact]
    public async Task Deployment_WithInlineLocalModel_RegistersTheModelAndBecomesTheDefault()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("project");
        var project = TabularProject.Create(folder, "scorer");
        var cli = new CliDriver(server.Url);
        await cli.OkAsync("batch-endpoint", "create", "-f", project.EndpointFile);

        var created = (await cli.OkAsync("batch-deployment", "create", "-f", project.DeploymentFile)).Json();

        Assert.Equal("/workspaces/default/batchEndpoints/scorer/deployments/classifier", At(created, "id"));
        Assert.Equal("scorer", At(created, "endpoint_name"));
        Assert.Equal("azureml:scorer-model:1", At(created, "model"));
        Assert.Equal("2", At(created, "settings.mini_batch_size"));
        var model = (await cli.OkAsync("model", "show", "-n", "scorer-model", "-v", "1")).Json();
        Assert.EndsWith("/model.onnx", At(model, "path"), StringComparison.Ordinal);
        Assert.Equal("classifier", At((await cli.OkAsync("batch-endpoint", "show", "-n", "scorer")).Json(), "defaults.deployment_name"));
    }

    [Fact]
    public async Task Deployment_SecondWithSetDefault_MovesTheDefault_UpdateShowsNewSettings_NonDefaultDeletes()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("project");
        var project = TabularProject.Create(folder, "scorer");
        var cli = new CliDriver(server.Url);
        await project.DeployAsync(cli);

        await cli.OkAsync("batch-deployment", "create", "-f", project.DeploymentFile, "-n", "challenger", "--set-default");
        Assert.Equal("challenger", At((await cli.OkAsync("batch-endpoint", "show", "-n", "scorer")).Json(), "defaults.deployment_name"));

        var shown = (await cli.OkAsync("batch-deployment", "show", "-n", "challenger", "-e", "scorer")).Json();
        Assert.Equal("challenger", At(shown, "name"));
        Assert.Equal("scorer", At(shown, "endpoint_name"));
        Assert.Equal(["challenger", "classifier"], Names(await cli.OkAsync("batch-deployment", "list", "-e", "scorer", "-o", "json")));

        var before = (await cli.OkAsync("batch-deployment", "show", "-n", "classifier", "-e", "scorer")).Json();
        var updated = (await cli.OkAsync("batch-deployment", "update", "-n", "classifier", "-e", "scorer", "--set", "settings.mini_batch_size=7")).Json();
        Assert.Equal("7", At(updated, "settings.mini_batch_size"));
        var after = (await cli.OkAsync("batch-deployment", "show", "-n", "classifier", "-e", "scorer")).Json();
        Assert.Equal("7", At(after, "settings.mini_batch_size"));
        Assert.Equal(At(before, "model"), At(after, "model"));
        Assert.Equal(At(before, "settings.output_file_name"), At(after, "settings.output_file_name"));
        Assert.Equal("challenger", At((await cli.OkAsync("batch-endpoint", "show", "-n", "scorer")).Json(), "defaults.deployment_name"));

        await cli.OkAsync("batch-deployment", "delete", "-n", "classifier", "-e", "scorer", "--yes");
        Assert.Equal(["challenger"], Names(await cli.OkAsync("batch-deployment", "list", "-e", "scorer", "-o", "json")));
        var gone = await cli.RunAsync("batch-deployment", "show", "-n", "classifier", "-e", "scorer");
        Assert.True(gone.ExitCode == ExitCodes.Invalid, gone.ToString());
    }
}
