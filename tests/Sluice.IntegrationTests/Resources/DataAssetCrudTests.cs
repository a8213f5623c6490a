using Sluice.Cli.Infrastructure;
using Sluice.IntegrationTests.Infrastructure;
using static Sluice.IntegrationTests.Infrastructure.SampleSpecs;

namespace Sluice.IntegrationTests.Resources;

public sealed class DataAssetCrudTests
{
    private const string UploadPrefix = "azureml://datastores/workspaceblobstore/paths/LocalUpload/";

    [Fact]
    public async Task DataAsset_CreatedFromPathThenFile_GetsVersionsOneAndTwo_ShowListAndDeleteByVersion()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("data");
        var cli = new CliDriver(server.Url);
        var first = DataFolder(folder, "first", "one");
        DataFolder(folder, "second", "two");
        var file = folder.Write("data.yml", """
            $schema: https://azuremlschemas.azureedge.net/latest/data.schema.json
            name: readings
            type: uri_folder
            description: second batch
            path: ./second
            """);

        var v1 = (await cli.OkAsync("data", "create", "-n", "readings", "--path", first)).Json();
        var v2 = (await cli.OkAsync("data", "create", "-f", file)).Json();

        Assert.Equal("1", At(v1, "version"));
        Assert.Equal("2", At(v2, "version"));
        Assert.StartsWith(UploadPrefix, At(v1, "path"), StringComparison.Ordinal);
        Assert.NotEqual(At(v1, "path"), At(v2, "path"));
        Assert.Equal("uri_folder", At(v1, "type"));

        var shownV1 = (await cli.OkAsync("data", "show", "-n", "readings", "-v", "1")).Json();
        Assert.Equal(At(v1, "path"), At(shownV1, "path"));
        Assert.Equal("/workspaces/default/data/readings/versions/1", At(shownV1, "id"));
        var latest = (await cli.OkAsync("data", "show", "-n", "readings")).Json();
        Assert.Equal("2", At(latest, "version"));
        Assert.Equal("second batch", At(latest, "description"));

        var all = (await cli.OkAsync("data", "list", "-o", "json")).Json().AsArray();
        var only = Assert.Single(all, item => At(item, "name") == "readings");
        Assert.Equal("2", At(only, "version"));
        var versions = (await cli.OkAsync("data", "list", "-n", "readings", "-o", "json")).Json().AsArray().Select(item => At(item, "version"));
        Assert.Equal(["2", "1"], versions);

        await cli.OkAsync("data", "delete", "-n", "readings", "-v", "1", "--yes");
        var gone = await cli.RunAsync("data", "show", "-n", "readings", "-v", "1");
        Assert.True(gone.ExitCode == ExitCodes.Invalid, gone.ToString());
        Assert.Equal(["2"], (await cli.OkAsync("data", "list", "-n", "readings", "-o", "json")).Json().AsArray().Select(item => At(item, "version")));
    }

    [Fact]
    public async Task DataAsset_ExistingVersionWithAnotherPath_IsRefusedAsImmutable()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("data");
        var cli = new CliDriver(server.Url);
        var original = (await cli.OkAsync("data", "create", "-n", "readings", "--path", DataFolder(folder, "first", "one"))).Json();

        var refused = await cli.RunAsync("data", "create", "-n", "readings", "--version", "1", "--path", DataFolder(folder, "other", "changed"));

        Assert.True(refused.ExitCode == ExitCodes.Invalid, refused.ToString());
        Assert.Contains("versions are immutable", refused.Error, StringComparison.Ordinal);
        var shown = (await cli.OkAsync("data", "show", "-n", "readings", "-v", "1")).Json();
        Assert.Equal(At(original, "path"), At(shown, "path"));
        Assert.Single((await cli.OkAsync("data", "list", "-n", "readings", "-o", "json")).Json().AsArray());
    }
}
