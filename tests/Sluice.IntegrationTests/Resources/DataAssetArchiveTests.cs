using System.Net;
using Sluice.Cli.Infrastructure;
using Sluice.IntegrationTests.Infrastructure;
using static Sluice.IntegrationTests.Infrastructure.SampleSpecs;

namespace Sluice.IntegrationTests.Resources;

public sealed class DataAssetArchiveTests(SharedServer shared) : IClassFixture<SharedServer>
{
    [Fact]
    public async Task ArchivedVersion_IsHiddenFromListAndLatest_ButShowableByVersion_UntilRestored()
    {
        var cli = await shared.WorkspaceAsync("archive-one");
        using var folder = new TempFolder("archive");
        foreach (var marker in new[] { "one", "two", "three" })
        {
            await cli.OkAsync("data", "create", "-n", "readings", "--path", DataFolder(folder, marker, marker));
        }

        var archived = await cli.OkAsync("data", "archive", "-n", "readings", "-v", "3");

        Assert.Contains("Archived data asset 'readings' version '3'.", archived.Out, StringComparison.Ordinal);
        Assert.Equal("2", At((await cli.OkAsync("data", "show", "-n", "readings")).Json(), "version"));
        Assert.Equal(["2", "1"], Versions(await cli.OkAsync("data", "list", "-n", "readings", "-o", "json")));
        Assert.Equal("2", At(Assert.Single((await cli.OkAsync("data", "list", "-o", "json")).Json().AsArray()), "version"));
        Assert.Equal(["3", "2", "1"], Versions(await cli.OkAsync("data", "list", "-n", "readings", "--include-archived", "-o", "json")));
        var explicitly = (await cli.OkAsync("data", "show", "-n", "readings", "-v", "3")).Json();
        Assert.Equal("true", At(explicitly, "archived"));
        var table = await cli.OkAsync("data", "list", "-n", "readings", "--include-archived");
        Assert.Contains("archived", table.Out, StringComparison.Ordinal);

        await cli.OkAsync("data", "restore", "-n", "readings", "-v", "3");

        Assert.Equal("3", At((await cli.OkAsync("data", "show", "-n", "readings")).Json(), "version"));
        Assert.Null(At((await cli.OkAsync("data", "show", "-n", "readings", "-v", "3")).Json(), "archived"));
    }

    [Fact]
    public async Task ArchiveWithoutVersion_HidesTheWholeAsset_AndRestoreBringsItBack()
    {
        var cli = await shared.WorkspaceAsync("archive-all");
        using var folder = new TempFolder("archive-all");
        await cli.OkAsync("data", "create", "-n", "readings", "--path", DataFolder(folder, "one", "one"));
        await cli.OkAsync("data", "create", "-n", "readings", "--path", DataFolder(folder, "two", "two"));
        await cli.OkAsync("data", "create", "-n", "other", "--path", DataFolder(folder, "three", "three"));

        var archived = await cli.OkAsync("data", "archive", "-n", "readings");

        Assert.Contains("Archived every version of data asset 'readings'.", archived.Out, StringComparison.Ordinal);
        Assert.Equal(["other"], Names(await cli.OkAsync("data", "list", "-o", "json")));
        Assert.Empty((await cli.OkAsync("data", "list", "-n", "readings", "-o", "json")).Json().AsArray());
        var latest = await cli.RunAsync("data", "show", "-n", "readings");
        Assert.True(latest.ExitCode == ExitCodes.Invalid, latest.ToString());
        Assert.Equal("1", At((await cli.OkAsync("data", "show", "-n", "readings", "-v", "1")).Json(), "version"));
        Assert.Equal(["other", "readings"], Names(await cli.OkAsync("data", "list", "--include-archived", "-o", "json")));

        await cli.OkAsync("data", "restore", "-n", "readings");

        Assert.Equal(["2", "1"], Versions(await cli.OkAsync("data", "list", "-n", "readings", "-o", "json")));
        var next = (await cli.OkAsync("data", "create", "-n", "readings", "--path", DataFolder(folder, "four", "four"))).Json();
        Assert.Equal("3", At(next, "version"));
    }

    [Fact]
    public async Task ArchiveRoutes_AnswerWithTheResource_AndUnknownVersionsAreNotFound()
    {
        var cli = await shared.WorkspaceAsync("archive-rest");
        using var folder = new TempFolder("archive-rest");
        await cli.OkAsync("data", "create", "-n", "readings", "--path", DataFolder(folder, "one", "one"));
        using var api = new RawApi(shared.Url);

        using var archived = await api.SendAsync(HttpMethod.Post, "/workspaces/archive-rest/data/readings/versions/1/archive");
        var body = await archived.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        using var again = await api.SendAsync(HttpMethod.Post, "/workspaces/archive-rest/data/readings/versions/1/archive");

        Assert.Equal(HttpStatusCode.OK, archived.StatusCode);
        Assert.Contains("\"archived\":true", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        await api.ProblemAsync(HttpStatusCode.NotFound, HttpMethod.Post, "/workspaces/archive-rest/data/readings/versions/9/archive");
        await api.ProblemAsync(HttpStatusCode.NotFound, HttpMethod.Post, "/workspaces/archive-rest/data/missing/restore");
        var restored = await api.SendAsync(HttpMethod.Post, "/workspaces/archive-rest/data/readings/restore");
        Assert.Equal(HttpStatusCode.OK, restored.StatusCode);
    }

    [Fact]
    public async Task JobInput_AtLatest_SkipsArchivedVersions_WhileAnExplicitArchivedVersionStillRuns()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("archive-job");
        var project = TabularProject.Create(folder, "archive-ep", files: 2, rowsPerFile: 5);
        var cli = new CliDriver(server.Url);
        await project.DeployAsync(cli);
        await cli.OkAsync("data", "create", "-n", "reviews", "--path", project.DataFolder);
        File.WriteAllText(Path.Combine(project.DataFolder, "extra.csv"), File.ReadAllText(Directory.GetFiles(project.DataFolder)[0]));
        await cli.OkAsync("data", "create", "-n", "reviews", "--path", project.DataFolder);
        await cli.OkAsync("data", "archive", "-n", "reviews", "-v", "2");

        var latest = (await cli.OkAsync("batch-endpoint", "invoke", "-n", "archive-ep", "--input", "azureml:reviews@latest")).Json();
        var pinned = (await cli.OkAsync("batch-endpoint", "invoke", "-n", "archive-ep", "--input", "azureml:reviews:2")).Json();

        Assert.Equal("azureml:reviews:1", (string?)latest["inputs"]!["input"]!["data_asset"]);
        Assert.Equal("azureml:reviews:2", (string?)pinned["inputs"]!["input"]!["data_asset"]);
        Assert.Equal(0, (await cli.RunAsync("job", "stream", "-n", (string)latest["name"]!)).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("job", "stream", "-n", (string)pinned["name"]!)).ExitCode);
    }

    private static List<string?> Versions(CliResult list) => [.. list.Json().AsArray().Select(item => At(item, "version"))];
}
