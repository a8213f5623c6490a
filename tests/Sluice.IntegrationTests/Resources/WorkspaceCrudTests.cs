using Sluice.Cli.Infrastructure;
using Sluice.IntegrationTests.Infrastructure;
using static Sluice.IntegrationTests.Infrastructure.SampleSpecs;

namespace Sluice.IntegrationTests.Resources;

public sealed class WorkspaceCrudTests
{
    [Fact]
    public async Task Workspace_CreateShowListUpdateDelete_ThroughTheCli()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        var cli = new CliDriver(server.Url);

        var created = (await cli.OkAsync("workspace", "create", "-n", "research", "--description", "first words")).Json();
        Assert.Equal("research", At(created, "name"));
        Assert.Equal("/workspaces/research", At(created, "id"));
        Assert.Equal("public", At(created, "network_mode"));

        var shown = (await cli.OkAsync("workspace", "show", "-n", "research")).Json();
        Assert.Equal("first words", At(shown, "description"));
        Assert.NotNull(At(shown, "creation_context.created_at"));

        var listed = Names(await cli.OkAsync("workspace", "list", "-o", "json"));
        Assert.Contains("research", listed);
        Assert.Contains("default", listed);

        var updated = (await cli.OkAsync("workspace", "update", "-n", "research", "--set", "description=second words")).Json();
        Assert.Equal("second words", At(updated, "description"));
        Assert.Equal("second words", At((await cli.OkAsync("workspace", "show", "-n", "research")).Json(), "description"));

        await cli.OkAsync("workspace", "delete", "-n", "research", "--yes");
        var gone = await cli.RunAsync("workspace", "show", "-n", "research");
        Assert.True(gone.ExitCode == ExitCodes.Invalid, gone.ToString());
        Assert.Contains("'research' was not found", gone.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("research", Names(await cli.OkAsync("workspace", "list", "-o", "json")));
    }

    [Fact]
    public async Task Workspace_ResourcesCreatedInIt_AreSeparateFromTheDefaultWorkspace()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        await new CliDriver(server.Url).OkAsync("workspace", "create", "-n", "research");
        var research = new CliDriver(server.Url, "research");

        await research.OkAsync("batch-endpoint", "create", "-n", "only-here");

        Assert.Equal(["only-here"], Names(await research.OkAsync("batch-endpoint", "list", "-o", "json")));
        Assert.Empty(Names(await new CliDriver(server.Url).OkAsync("batch-endpoint", "list", "-o", "json")));
    }
}
