using Sluice.Cli.Infrastructure;
using Sluice.IntegrationTests.Infrastructure;
using static Sluice.IntegrationTests.Infrastructure.SampleSpecs;

namespace Sluice.IntegrationTests.Resources;

public sealed class EnvironmentCrudTests
{
    [Fact]
    public async Task Environment_FromImageAndCondaFile_CreateShowListDelete_ThroughTheCli()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("environment");
        var cli = new CliDriver(server.Url);
        var file = Environment(folder, "scoring-env");

        var created = (await cli.OkAsync("environment", "create", "-f", file)).Json();
        Assert.Equal("1", At(created, "version"));
        Assert.Equal("mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04:latest", At(created, "image"));
        Assert.StartsWith("azureml://datastores/workspaceblobstore/paths/LocalUpload/", At(created, "conda_file"), StringComparison.Ordinal);
        Assert.EndsWith("/conda.yml", At(created, "conda_file"), StringComparison.Ordinal);

        var again = (await cli.OkAsync("environment", "create", "-f", file)).Json();
        Assert.Equal("2", At(again, "version"));

        var shown = (await cli.OkAsync("environment", "show", "-n", "scoring-env", "-v", "1")).Json();
        Assert.Equal(At(created, "conda_file"), At(shown, "conda_file"));
        Assert.Equal("scoring environment", At(shown, "description"));
        Assert.Equal("2", At((await cli.OkAsync("environment", "show", "-n", "scoring-env")).Json(), "version"));
        Assert.Equal(["scoring-env"], Names(await cli.OkAsync("environment", "list", "-o", "json")));
        Assert.Equal(["2", "1"], (await cli.OkAsync("environment", "list", "-n", "scoring-env", "-o", "json")).Json().AsArray().Select(item => At(item, "version")));

        await cli.OkAsync("environment", "delete", "-n", "scoring-env", "-v", "2", "--yes");
        Assert.Equal("1", At((await cli.OkAsync("environment", "show", "-n", "scoring-env")).Json(), "version"));
        var gone = await cli.RunAsync("environment", "show", "-n", "scoring-env", "-v", "2");
        Assert.True(gone.ExitCode == ExitCodes.Invalid, gone.ToString());
    }
}
