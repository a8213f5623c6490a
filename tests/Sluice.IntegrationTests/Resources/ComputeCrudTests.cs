using Sluice.Cli.Infrastructure;
using Sluice.IntegrationTests.Infrastructure;
using static Sluice.IntegrationTests.Infrastructure.SampleSpecs;

namespace Sluice.IntegrationTests.Resources;

public sealed class ComputeCrudTests
{
    [Fact]
    public async Task Compute_CreateUpdateShowListDelete_ThroughTheCli()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("compute");
        var cli = new CliDriver(server.Url);

        var created = (await cli.OkAsync("compute", "create", "-f", Compute(folder, "cpu-cluster", min: 1, max: 2, tier: "low_priority"))).Json();
        Assert.Equal("amlcompute", At(created, "type"));
        Assert.Equal("1", At(created, "min_instances"));
        Assert.Equal("2", At(created, "max_instances"));
        Assert.Equal("low_priority", At(created, "tier"));
        Assert.Equal("/workspaces/default/computes/cpu-cluster", At(created, "id"));

        var updated = (await cli.OkAsync("compute", "update", "-n", "cpu-cluster", "--max-instances", "4")).Json();
        Assert.Equal("4", At(updated, "max_instances"));

        var shown = (await cli.OkAsync("compute", "show", "-n", "cpu-cluster")).Json();
        Assert.Equal("4", At(shown, "max_instances"));
        Assert.Equal("1", At(shown, "min_instances"));
        Assert.Equal("low_priority", At(shown, "tier"));
        Assert.Equal("STANDARD_DS3_v2", At(shown, "size"));
        Assert.Equal("300", At(shown, "idle_time_before_scale_down"));

        Assert.Equal(["cpu-cluster"], Names(await cli.OkAsync("compute", "list", "-o", "json")));

        await cli.OkAsync("compute", "delete", "-n", "cpu-cluster", "--yes");
        var gone = await cli.RunAsync("compute", "show", "-n", "cpu-cluster");
        Assert.True(gone.ExitCode == ExitCodes.Invalid, gone.ToString());
        Assert.Empty(Names(await cli.OkAsync("compute", "list", "-o", "json")));
    }

    [Fact]
    public async Task Compute_TierChange_IsRefusedAndLeavesTheClusterUnchanged()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("compute");
        var cli = new CliDriver(server.Url);
        var file = Compute(folder, "cpu-cluster", max: 2, tier: "dedicated");
        await cli.OkAsync("compute", "create", "-f", file);

        var refused = await cli.RunAsync("compute", "create", "-f", file, "--set", "tier=low_priority", "--set", "max_instances=8");

        Assert.True(refused.ExitCode == ExitCodes.Invalid, refused.ToString());
        Assert.Contains("tier of a cluster cannot change", refused.Error, StringComparison.Ordinal);
        var shown = (await cli.OkAsync("compute", "show", "-n", "cpu-cluster")).Json();
        Assert.Equal("dedicated", At(shown, "tier"));
        Assert.Equal("2", At(shown, "max_instances"));
    }
}
