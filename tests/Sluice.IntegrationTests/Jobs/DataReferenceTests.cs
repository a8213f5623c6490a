using Sluice.Cli.Infrastructure;
using Sluice.IntegrationTests.Infrastructure;

namespace Sluice.IntegrationTests.Jobs;

/// <summary>The input and output forms of Azure ML, end to end through invoke: what resolves, and what is refused with a way out.</summary>
public sealed class DataReferenceTests
{
    [Fact]
    public async Task Invoke_WithLongAndLocationsAssetForms_PinsTheDataAsset_AndRefusesOtherWorkspacesAndKinds()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("data-forms");
        var project = TabularProject.Create(folder, "forms-ep", files: 2, rowsPerFile: 5);
        var cli = new CliDriver(server.Url);
        await project.DeployAsync(cli);
        var asset = (await cli.OkAsync("data", "create", "-n", "reviews", "--path", project.DataFolder)).Json();
        var path = (string)asset["path"]!;
        var longPath = path.Replace("azureml://", "azureml://subscriptions/0000/resourcegroups/rg/workspaces/default/", StringComparison.Ordinal);

        foreach (var form in new[]
        {
            "azureml://subscriptions/0000/resourcegroups/rg/workspaces/default/data/reviews/versions/1",
            "azureml://subscriptions/0000/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/default/data/reviews/versions/1",
            "azureml://locations/westeurope/workspaces/default/data/reviews/versions/1",
        })
        {
            var job = (await cli.OkAsync("batch-endpoint", "invoke", "-n", "forms-ep", "--input", form)).Json();
            Assert.Equal("azureml:reviews:1", (string?)job["inputs"]!["input"]!["data_asset"]);
            await cli.RunAsync("job", "stream", "-n", (string)job["name"]!);
        }

        var byLongPath = (await cli.OkAsync("batch-endpoint", "invoke", "-n", "forms-ep", "--input", longPath)).Json();
        await cli.RunAsync("job", "stream", "-n", (string)byLongPath["name"]!);

        var otherWorkspace = await cli.RunAsync("batch-endpoint", "invoke", "-n", "forms-ep", "--input", "azureml://locations/westeurope/workspaces/elsewhere/data/reviews/versions/1");
        var otherKind = await cli.RunAsync("batch-endpoint", "invoke", "-n", "forms-ep", "--input", "azureml://subscriptions/0/resourcegroups/rg/workspaces/default/models/reviews/versions/1");
        var otherPathWorkspace = await cli.RunAsync("batch-endpoint", "invoke", "-n", "forms-ep", "--input", longPath.Replace("/workspaces/default/", "/workspaces/elsewhere/", StringComparison.Ordinal));
        var otherOutputWorkspace = await cli.RunAsync("batch-endpoint", "invoke", "-n", "forms-ep", "--input", path, "--output-path", "azureml://subscriptions/0/resourcegroups/rg/workspaces/elsewhere/datastores/workspaceblobstore/paths/out/");

        Assert.True(otherWorkspace.ExitCode == ExitCodes.Invalid, otherWorkspace.ToString());
        Assert.Contains("in workspace 'elsewhere', but this request is in workspace 'default'", otherWorkspace.Error, StringComparison.Ordinal);
        Assert.True(otherKind.ExitCode == ExitCodes.Invalid, otherKind.ToString());
        Assert.Contains("which names models; expected data", otherKind.Error, StringComparison.Ordinal);
        Assert.True(otherPathWorkspace.ExitCode == ExitCodes.Invalid, otherPathWorkspace.ToString());
        Assert.Contains("points into workspace 'elsewhere'", otherPathWorkspace.Error, StringComparison.Ordinal);
        Assert.True(otherOutputWorkspace.ExitCode == ExitCodes.Invalid, otherOutputWorkspace.ToString());
        Assert.Contains("points into workspace 'elsewhere'", otherOutputWorkspace.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_WithBlobUrls_ResolvesThemToRegisteredDatastores_OrSaysWhichToRegister()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("data-urls");
        var project = TabularProject.Create(folder, "urls-ep", files: 2, rowsPerFile: 5);
        var cli = new CliDriver(server.Url);
        await project.DeployAsync(cli);
        var path = (string)(await cli.OkAsync("data", "create", "-n", "reviews", "--path", project.DataFolder)).Json()["path"]!;

        var https = await cli.RunAsync("batch-endpoint", "invoke", "-n", "urls-ep", "--input", "https://sluicetests.blob.core.windows.net/scoring/heart/");
        var wasbs = await cli.RunAsync("batch-endpoint", "invoke", "-n", "urls-ep", "--input", "wasbs://scoring@sluicetests.blob.core.windows.net/heart/");
        var sas = await cli.RunAsync("batch-endpoint", "invoke", "-n", "urls-ep", "--input", "https://sluicetests.blob.core.windows.net/scoring/heart/?sv=2024&sig=dG9rZW4tc2lnbmF0dXJl");

        foreach (var refused in new[] { https, wasbs })
        {
            Assert.True(refused.ExitCode == ExitCodes.Invalid, refused.ToString());
            Assert.Contains("is not in any datastore of workspace 'default'", refused.Error, StringComparison.Ordinal);
            Assert.Contains("register an azure_blob datastore with account_name 'sluicetests' and container_name 'scoring'", refused.Error, StringComparison.Ordinal);
        }

        Assert.True(sas.ExitCode == ExitCodes.Invalid, sas.ToString());
        Assert.Contains("carries a SAS token", sas.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("dG9rZW4tc2lnbmF0dXJl", sas.Out + sas.Error, StringComparison.Ordinal);

        // A registered container (an emulator-style endpoint on a closed loopback port: nothing leaves this machine).
        folder.Write("blob.yml", """
            name: blob_store
            type: azure_blob
            account_name: sluicetests
            container_name: scoring
            endpoint: http://127.0.0.1:9/sluicetests
            protocol: http
            """);
        await cli.OkAsync("datastore", "create", "-f", folder.Combine("blob.yml"));
        var registered = await cli.RunAsync("batch-endpoint", "invoke", "-n", "urls-ep", "--input", path, "--output-path", "http://127.0.0.1:9/sluicetests/scoring/out/");

        Assert.Contains("blob_store", registered.Out + registered.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("is not in any datastore", registered.Error, StringComparison.Ordinal);
        if (registered.ExitCode == 0)
        {
            await cli.RunAsync("job", "cancel", "-n", (string)registered.Json()["name"]!);
        }
    }

    [Fact]
    public async Task Invoke_OnAFolder_ReadsTheTopLevelOnly_UnlessRecursive()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("data-recursive");
        var project = TabularProject.Create(folder, "deep-ep", files: 2, rowsPerFile: 5);
        var cli = new CliDriver(server.Url);
        await project.DeployAsync(cli);
        var first = Directory.GetFiles(project.DataFolder)[0];
        Directory.CreateDirectory(Path.Combine(project.DataFolder, "nested"));
        File.Copy(first, Path.Combine(project.DataFolder, "nested", "more.csv"));

        var (topLevel, _) = await Infrastructure.Jobs.RunAsync(cli, "-n", "deep-ep", "--input", project.DataFolder);
        var (recursive, _) = await Infrastructure.Jobs.RunAsync(cli, "-n", "deep-ep", "--input", project.DataFolder, "--recursive");

        Assert.Equal("Completed", Infrastructure.Jobs.Status(topLevel));
        Assert.Equal(2, Infrastructure.Jobs.Items(topLevel, "succeeded"));
        Assert.Equal("Completed", Infrastructure.Jobs.Status(recursive));
        Assert.Equal(3, Infrastructure.Jobs.Items(recursive, "succeeded"));
    }
}
