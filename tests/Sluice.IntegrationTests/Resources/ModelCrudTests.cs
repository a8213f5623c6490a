using Sluice.Cli.Infrastructure;
using Sluice.IntegrationTests.Infrastructure;
using static Sluice.IntegrationTests.Infrastructure.SampleSpecs;

namespace Sluice.IntegrationTests.Resources;

public sealed class ModelCrudTests
{
    [Fact]
    public async Task Model_UploadedFromLocalFileThenFromYaml_GetsVersionsOneAndTwo_ShowListAndDeleteByVersion()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("model");
        var cli = new CliDriver(server.Url);
        var weights = folder.Write("weights/v1/model.bin", "weights one");
        folder.Write("weights/v2/model.bin", "weights two");
        var file = folder.Write("model.yml", """
            $schema: https://azuremlschemas.azureedge.net/latest/model.schema.json
            name: classifier
            type: custom_model
            description: retrained
            path: weights/v2/model.bin
            tags:
              stage: candidate
            """);

        var v1 = (await cli.OkAsync("model", "create", "-n", "classifier", "--path", weights, "--type", "custom_model")).Json();
        var v2 = (await cli.OkAsync("model", "create", "-f", file)).Json();

        Assert.Equal("1", At(v1, "version"));
        Assert.Equal("2", At(v2, "version"));
        Assert.Equal("custom_model", At(v1, "type"));
        Assert.StartsWith("azureml://datastores/workspaceblobstore/paths/LocalUpload/", At(v1, "path"), StringComparison.Ordinal);
        Assert.EndsWith("/model.bin", At(v1, "path"), StringComparison.Ordinal);

        using (var api = new RawApi(server.Url))
        {
            var datastorePath = At(v1, "path")!["azureml://datastores/workspaceblobstore/paths/".Length..];
            using var download = await api.SendAsync(HttpMethod.Get, $"/workspaces/default/datastores/workspaceblobstore/files/{datastorePath}");
            Assert.Equal("weights one", await download.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        Assert.Equal(At(v1, "path"), At((await cli.OkAsync("model", "show", "-n", "classifier", "-v", "1")).Json(), "path"));
        var latest = (await cli.OkAsync("model", "show", "-n", "classifier")).Json();
        Assert.Equal("2", At(latest, "version"));
        Assert.Equal("candidate", At(latest, "tags.stage"));

        Assert.Equal("2", At(Assert.Single((await cli.OkAsync("model", "list", "-o", "json")).Json().AsArray()), "version"));
        Assert.Equal(["2", "1"], (await cli.OkAsync("model", "list", "-n", "classifier", "-o", "json")).Json().AsArray().Select(item => At(item, "version")));

        await cli.OkAsync("model", "delete", "-n", "classifier", "-v", "1", "--yes");
        var gone = await cli.RunAsync("model", "show", "-n", "classifier", "-v", "1");
        Assert.True(gone.ExitCode == ExitCodes.Invalid, gone.ToString());
        Assert.Contains("version '1' was not found", gone.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Model_ExistingVersionWithAnotherFile_IsRefusedAsImmutable()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("model");
        var cli = new CliDriver(server.Url);
        var original = (await cli.OkAsync("model", "create", "-n", "classifier", "--path", folder.Write("a/model.bin", "one"), "--type", "custom_model")).Json();

        var refused = await cli.RunAsync("model", "create", "-n", "classifier", "-v", "1", "--path", folder.Write("b/model.bin", "two"), "--type", "custom_model");

        Assert.True(refused.ExitCode == ExitCodes.Invalid, refused.ToString());
        Assert.Contains("versions are immutable", refused.Error, StringComparison.Ordinal);
        Assert.Equal(At(original, "path"), At((await cli.OkAsync("model", "show", "-n", "classifier", "-v", "1")).Json(), "path"));
    }
}
