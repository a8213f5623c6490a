using Sluice.Cli.Infrastructure;
using Sluice.IntegrationTests.Infrastructure;
using static Sluice.IntegrationTests.Infrastructure.SampleSpecs;

namespace Sluice.IntegrationTests.Resources;

public sealed class ComponentCrudTests
{
    [Fact]
    public async Task CommandComponent_WithCodeFolder_CreateShowListDelete_ThroughTheCli()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("component");
        var cli = new CliDriver(server.Url);

        var created = (await cli.OkAsync("component", "create", "-f", CommandComponent(folder, "score-step"))).Json();
        Assert.Equal("1", At(created, "version"));
        Assert.Equal("command", At(created, "type"));
        Assert.Equal(ComponentCommand, At(created, "command"));
        Assert.StartsWith("azureml://datastores/workspaceblobstore/paths/LocalUpload/", At(created, "code"), StringComparison.Ordinal);
        Assert.EndsWith("/src/", At(created, "code"), StringComparison.Ordinal);

        var shown = (await cli.OkAsync("component", "show", "-n", "score-step")).Json();
        Assert.Equal(At(created, "code"), At(shown, "code"));
        Assert.Equal("uri_folder", At(shown, "inputs.data.type"));
        Assert.Equal("uri_folder", At(shown, "outputs.scores.type"));
        Assert.Equal("Score", At(shown, "display_name"));

        Assert.Equal(["score-step"], Names(await cli.OkAsync("component", "list", "-o", "json")));
        Assert.Equal(["1"], (await cli.OkAsync("component", "list", "-n", "score-step", "-o", "json")).Json().AsArray().Select(item => At(item, "version")));

        await cli.OkAsync("component", "delete", "-n", "score-step", "-v", "1", "--yes");
        var gone = await cli.RunAsync("component", "show", "-n", "score-step");
        Assert.True(gone.ExitCode == ExitCodes.Invalid, gone.ToString());
        Assert.Empty(Names(await cli.OkAsync("component", "list", "-o", "json")));
    }
}
