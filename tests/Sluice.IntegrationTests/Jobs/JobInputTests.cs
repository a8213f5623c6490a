using Sluice.IntegrationTests.Infrastructure;

namespace Sluice.IntegrationTests.Jobs;

public sealed class JobInputTests
{
    [Fact]
    public async Task Invoke_OnSingleFile_ScoresThatFileOnly()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("single");
        var project = TabularProject.Create(folder, "single-ep");
        var cli = new CliDriver(server.Url);
        await project.DeployAsync(cli);

        var (job, exit) = await Infrastructure.Jobs.RunAsync(cli, "-n", "single-ep", "--input", Path.Combine(project.DataFolder, "part-00003.csv"), "--input-type", "uri_file");

        Assert.Equal(0, exit);
        Assert.Equal("uri_file", (string?)job["inputs"]!["input"]!["type"]);
        Assert.Equal(1, Infrastructure.Jobs.MiniBatches(job, "total"));
        var lines = File.ReadAllLines(Path.Combine(Infrastructure.Jobs.Folder(server, job), "score", "predictions.csv"));
        Assert.Equal(project.RowsPerFile, lines.Length - 1);
        Assert.All(lines.Skip(1), l => Assert.EndsWith(",part-00003.csv", l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Invoke_OnDatastorePathAndOnDataAsset_ReadsTheUploadedData()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("datastore-input");
        var project = TabularProject.Create(folder, "ds-ep");
        var cli = new CliDriver(server.Url);
        await project.DeployAsync(cli);
        var asset = (await cli.OkAsync("data", "create", "-n", "reviews", "--path", project.DataFolder, "--type", "uri_folder")).Json();
        var path = (string)asset["path"]!;
        Assert.StartsWith("azureml://datastores/workspaceblobstore/paths/", path, StringComparison.Ordinal);

        var (byPath, _) = await Infrastructure.Jobs.RunAsync(cli, "-n", "ds-ep", "--input", path);
        var (byAsset, _) = await Infrastructure.Jobs.RunAsync(cli, "-n", "ds-ep", "--input", "azureml:reviews@latest");

        Assert.Equal("Completed", Infrastructure.Jobs.Status(byPath));
        Assert.Equal("Completed", Infrastructure.Jobs.Status(byAsset));
        Assert.Equal("azureml:reviews:1", (string?)byAsset["inputs"]!["input"]!["data_asset"]);
        Assert.Equal(project.Files, Infrastructure.Jobs.Items(byAsset, "succeeded"));
    }

    [Fact]
    public async Task Invoke_WithMissingLocalInput_FailsBeforeCreatingAJob()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("missing-input");
        var project = TabularProject.Create(folder, "missing-ep");
        var cli = new CliDriver(server.Url);
        await project.DeployAsync(cli);

        var local = await cli.RunAsync("batch-endpoint", "invoke", "-n", "missing-ep", "--input", folder.Combine("no-such-folder"));
        var remote = await cli.RunAsync("batch-endpoint", "invoke", "-n", "missing-ep", "--input", "azureml://datastores/workspaceblobstore/paths/no/such/folder/");

        Assert.Equal(5, local.ExitCode);
        Assert.Contains("does not exist", local.Error, StringComparison.Ordinal);
        Assert.Equal(5, remote.ExitCode);
        Assert.Contains("does not exist", remote.Error, StringComparison.Ordinal);
        var jobs = (await cli.OkAsync("job", "list", "-o", "json")).Json().AsArray();
        Assert.Empty(jobs);
    }

    [Fact]
    public async Task Invoke_OnFolderWithNoFilesAtTopLevel_FailsWithAClearReason()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("empty-input");
        var project = TabularProject.Create(folder, "empty-ep");
        var cli = new CliDriver(server.Url);
        await project.DeployAsync(cli);
        folder.Write("nested/only/part.csv", "f0\n1\n");
        var asset = (await cli.OkAsync("data", "create", "-n", "nested", "--path", folder.Combine("nested"))).Json();

        var (job, exit) = await Infrastructure.Jobs.RunAsync(cli, "-n", "empty-ep", "--input", (string)asset["path"]!);

        Assert.Equal(2, exit);
        Assert.Equal("Failed", Infrastructure.Jobs.Status(job));
        Assert.Contains("holds no files to score", Infrastructure.Jobs.Reason(job), StringComparison.Ordinal);
        Assert.Contains("--recursive", Infrastructure.Jobs.Reason(job), StringComparison.Ordinal);
    }
}
