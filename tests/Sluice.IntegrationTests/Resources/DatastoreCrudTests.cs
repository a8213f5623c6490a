using Sluice.Cli.Infrastructure;
using Sluice.IntegrationTests.Infrastructure;
using static Sluice.IntegrationTests.Infrastructure.SampleSpecs;

namespace Sluice.IntegrationTests.Resources;

public sealed class DatastoreCrudTests
{
    [Fact]
    public async Task LocalDatastore_CreateShowListDelete_ThroughTheCli()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("datastore");
        using var store = new TempFolder("store");
        var cli = new CliDriver(server.Url);

        var created = (await cli.OkAsync("datastore", "create", "-f", LocalDatastore(folder, "scratch_store", store.Path))).Json();
        Assert.Equal("local", At(created, "type"));
        Assert.Equal(store.Path, At(created, "path"));
        Assert.Equal("/workspaces/default/datastores/scratch_store", At(created, "id"));

        var shown = (await cli.OkAsync("datastore", "show", "-n", "scratch_store")).Json();
        Assert.Equal(store.Path, At(shown, "path"));
        Assert.Equal("a local folder", At(shown, "description"));

        var listed = Names(await cli.OkAsync("datastore", "list", "-o", "json"));
        Assert.Contains("scratch_store", listed);
        Assert.Contains("workspaceblobstore", listed);

        await cli.OkAsync("datastore", "delete", "-n", "scratch_store", "--yes");
        var gone = await cli.RunAsync("datastore", "show", "-n", "scratch_store");
        Assert.True(gone.ExitCode == ExitCodes.Invalid, gone.ToString());
        Assert.DoesNotContain("scratch_store", Names(await cli.OkAsync("datastore", "list", "-o", "json")));
        Assert.True(Directory.Exists(store.Path), "deleting a datastore's registration must keep its folder");
    }

    [Fact]
    public async Task BlobDatastore_AccountKey_NeverAppearsInCreateShowOrListOutput()
    {
        const string key = "c2x1aWNlLXRlc3Qtc2VjcmV0LWFjY291bnQta2V5LTAxMjM0NTY3ODk=";
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("datastore");
        var cli = new CliDriver(server.Url);

        var created = await cli.OkAsync("datastore", "create", "-f", BlobDatastore(folder, "blob_store", key));
        var shown = await cli.OkAsync("datastore", "show", "-n", "blob_store");
        var listedJson = await cli.OkAsync("datastore", "list", "-o", "json");
        var listedTable = await cli.OkAsync("datastore", "list");
        var shownTable = await cli.OkAsync("datastore", "show", "-n", "blob_store", "-o", "table");

        foreach (var output in new[] { created, shown, listedJson, listedTable, shownTable })
        {
            Assert.DoesNotContain(key, output.Out, StringComparison.Ordinal);
            Assert.DoesNotContain(key, output.Error, StringComparison.Ordinal);
        }

        var view = shown.Json();
        Assert.Equal("azure_blob", At(view, "type"));
        Assert.Equal("sluicetests", At(view, "account_name"));
        Assert.Equal("scoring", At(view, "container_name"));
        Assert.Equal("account_key", At(view, "credentials.type"));
        Assert.Null(At(view, "credentials.account_key"));
    }

    [Fact]
    public async Task DefaultDatastore_CannotBeDeleted()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        var cli = new CliDriver(server.Url);

        var refused = await cli.RunAsync("datastore", "delete", "-n", "workspaceblobstore", "--yes");

        Assert.True(refused.ExitCode == ExitCodes.Invalid, refused.ToString());
        Assert.Contains("default datastore", refused.Error, StringComparison.Ordinal);
        Assert.Equal("local", At((await cli.OkAsync("datastore", "show", "-n", "workspaceblobstore")).Json(), "type"));
    }
}
