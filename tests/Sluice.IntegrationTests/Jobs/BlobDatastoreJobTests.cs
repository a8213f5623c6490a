using System.Globalization;
using Sluice.IntegrationTests.Infrastructure;

namespace Sluice.IntegrationTests.Jobs;

/// <summary>Jobs that read their input from one blob container and write their predictions to another, through the real server and CLI.</summary>
public sealed class BlobDatastoreJobTests(AzuriteServer azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Job_ReadsABlobFolder_AndWritesToAnotherContainer_OneRowPerInputRow()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: Ct);
        using var folder = new TempFolder("blob-job");
        var project = TabularProject.Create(folder, "blob-ep");
        var cli = new CliDriver(server.Url);
        await project.DeployAsync(cli);
        var input = await azurite.CreateContainerAsync("scoring-in", Ct);
        var output = await azurite.CreateContainerAsync("scoring-out", Ct);
        foreach (var file in Directory.GetFiles(project.DataFolder))
        {
            await input.Client.GetBlobClient($"batch/{Path.GetFileName(file)}").UploadAsync(file, Ct);
        }

        await input.PutAsync("batch/nested/not-read.csv", "f0\n1\n", Ct); // below the top level, which is all a job reads
        var sas = output.SasToken();
        await cli.OkAsync("datastore", "create", "-f", folder.Write("in.yml", input.Yaml("blob_in")));
        await cli.OkAsync("datastore", "create", "-f", folder.Write("out.yml", output.Yaml("blob_out", sas)));

        var (local, _) = await Infrastructure.Jobs.RunAsync(cli, "-n", "blob-ep", "--input", project.DataFolder);
        var (byFiles, filesExit) = await Infrastructure.Jobs.RunAsync(cli, "-n", "blob-ep", "--input", "azureml://datastores/blob_in/paths/batch", "--output-path", "azureml://datastores/blob_out/paths/scores/by-files");
        var (byRows, rowsExit) = await Infrastructure.Jobs.RunAsync(cli, "-n", "blob-ep", "--input", "azureml://datastores/blob_in/paths/batch/", "--output-path", "azureml://datastores/blob_out/paths/scores/by-rows", "--mini-batch-size", "7 rows");

        Assert.True(filesExit == 0, $"{Infrastructure.Jobs.Reason(byFiles)}\n{server.Log.Tail()}");
        Assert.True(rowsExit == 0, $"{Infrastructure.Jobs.Reason(byRows)}\n{server.Log.Tail()}");
        Assert.Equal(project.Files, Infrastructure.Jobs.Items(byFiles, "succeeded"));
        Assert.Equal((project.TotalRows + 6) / 7, Infrastructure.Jobs.MiniBatches(byRows, "total")); // slices of files packed 7 rows a mini-batch
        Assert.Equal(0, Infrastructure.Jobs.Items(byRows, "failed"));
        var expected = await File.ReadAllTextAsync(Path.Combine(Infrastructure.Jobs.Folder(server, local), "score", "predictions.csv"), Ct);
        foreach (var path in new[] { "scores/by-files/predictions.csv", "scores/by-rows/predictions.csv" })
        {
            var text = (await output.Client.GetBlobClient(path).DownloadContentAsync(Ct)).Value.Content.ToString();
            var rows = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')).ToList();
            Assert.Equal(project.TotalRows, rows.Count);
            Assert.All(rows.GroupBy(r => r[^1]), file => Assert.Equal(Enumerable.Range(0, project.RowsPerFile), file.Select(r => int.Parse(r[0], CultureInfo.InvariantCulture))));
            Assert.Equal(expected, text); // the same predictions, in the same order, as from the local copy of the data
        }

        Assert.Contains("rows written to azureml://datastores/blob_out/paths/scores/by-files/predictions.csv", Infrastructure.Jobs.Reason(byFiles), StringComparison.Ordinal);
        await AssertNoSecretAsync(server, [byFiles, byRows], AzuriteServer.AccountKey, sas);
    }

    [Fact]
    public async Task Job_OnAPublicContainerUrl_ReadsItAnonymously_ThroughADatastoreRegisteredForIt_AndAPrivateOneIsRefused()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: Ct);
        using var folder = new TempFolder("blob-public");
        var project = TabularProject.Create(folder, "public-ep", files: 3);
        var cli = new CliDriver(server.Url);
        await project.DeployAsync(cli);
        var open = await azurite.CreateContainerAsync("public-in", Ct);
        await open.Client.SetAccessPolicyAsync(Azure.Storage.Blobs.Models.PublicAccessType.BlobContainer, cancellationToken: Ct);
        var closed = await azurite.CreateContainerAsync("private-in", Ct);
        foreach (var file in Directory.GetFiles(project.DataFolder))
        {
            await open.Client.GetBlobClient($"batch/{Path.GetFileName(file)}").UploadAsync(file, Ct);
            await closed.Client.GetBlobClient($"batch/{Path.GetFileName(file)}").UploadAsync(file, Ct);
        }

        var (job, exit) = await Infrastructure.Jobs.RunAsync(cli, "-n", "public-ep", "--input", $"{open.Endpoint}/{open.Name}/batch/");
        var refused = await cli.RunAsync("batch-endpoint", "invoke", "-n", "public-ep", "--input", $"{closed.Endpoint}/{closed.Name}/batch/");

        Assert.True(exit == 0, $"{Infrastructure.Jobs.Reason(job)}\n{server.Log.Tail()}");
        Assert.Equal(project.Files, Infrastructure.Jobs.Items(job, "succeeded"));
        var datastores = (await cli.OkAsync("datastore", "list", "-o", "json")).Json().AsArray();
        var registered = Assert.Single(datastores, d => ((string?)d!["name"])!.StartsWith("public_", StringComparison.Ordinal));
        Assert.Equal(open.Name, (string?)registered!["container_name"]);
        Assert.Null(registered["credentials"]);
        Assert.Equal(5, refused.ExitCode);
        Assert.Contains($"register an azure_blob datastore with account_name 'devstoreaccount1' and container_name '{closed.Name}'", refused.Error, StringComparison.Ordinal);
        Assert.DoesNotContain((await cli.OkAsync("datastore", "list", "-o", "json")).Json().AsArray(), d => (string?)d!["container_name"] == closed.Name);
    }

    [Fact]
    public async Task WorkspaceBlobStore_RepointedToABlobContainer_TakesUploadsModelsOutputsAndLogs()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: Ct);
        using var folder = new TempFolder("blob-default");
        var store = await azurite.CreateContainerAsync("workspace-store", Ct);
        var cli = new CliDriver(server.Url);
        await cli.OkAsync("datastore", "create", "-f", folder.Write("default.yml", store.Yaml("workspaceblobstore")));
        var project = TabularProject.Create(folder, "default-ep", files: 3);

        await project.DeployAsync(cli); // the model is uploaded to the container, and workers copy it from there
        var (job, exit) = await Infrastructure.Jobs.RunAsync(cli, "-n", "default-ep", "--input", project.DataFolder); // so are the inputs

        var name = Infrastructure.Jobs.Name(job);
        var failedItems = store.Client.GetBlobClient($"azureml/{name}/logs/failed_items.csv");
        Assert.True(exit == 0, $"{Infrastructure.Jobs.Reason(job)}\n{(await failedItems.ExistsAsync(Ct) ? (await failedItems.DownloadContentAsync(Ct)).Value.Content.ToString() : string.Empty)}\n{server.Log.Tail()}");
        var blobs = new List<string>();
        await foreach (var blob in store.Client.GetBlobsAsync(cancellationToken: Ct))
        {
            blobs.Add(blob.Name);
        }

        Assert.Contains(blobs, b => b.StartsWith("LocalUpload/", StringComparison.Ordinal) && b.EndsWith(".onnx", StringComparison.Ordinal));
        Assert.Contains($"azureml/{name}/score/predictions.csv", blobs);
        Assert.Contains($"azureml/{name}/logs/job_result.txt", blobs);
        Assert.Contains(blobs, b => b.StartsWith($"azureml/{name}/logs/sys/worker/", StringComparison.Ordinal)); // the workers' own logs, uploaded
        var predictions = (await store.Client.GetBlobClient($"azureml/{name}/score/predictions.csv").DownloadContentAsync(Ct)).Value.Content.ToString();
        Assert.Equal(project.TotalRows + 1, predictions.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        var deleted = await cli.RunAsync("datastore", "delete", "-n", "workspaceblobstore", "--yes");
        Assert.NotEqual(0, deleted.ExitCode); // re-pointed, but still the default: it cannot be deleted
        Assert.Contains("cannot be deleted", deleted.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Job_WhoseInputBlobIsDeletedWhileItRuns_FailsThatFileAlone_NamedWithItsDatastoreAndPath()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: Ct);
        using var folder = new TempFolder("blob-deleted");
        var gate = Directory.CreateDirectory(folder.Combine("gate")).FullName;
        CustomScorerProject.Write(folder, "gated-ep", "GatedScorer", $"  environment_variables:\n    GATE_DIR: {gate}\n  retry_settings:\n    max_retries: 0");
        var cli = new CliDriver(server.Url);
        await cli.OkAsync("batch-endpoint", "create", "-f", folder.Combine("endpoint.yml"));
        await cli.OkAsync("batch-deployment", "create", "-f", folder.Combine("deployment.yml"));
        var input = await azurite.CreateContainerAsync("deleted-in", Ct);
        foreach (var file in new[] { "a.txt", "b.txt", "c.txt", "d.txt", "e.txt", "f.txt" })
        {
            await input.PutAsync($"inputs/{file}", $"content of {file}\n", Ct);
        }

        await cli.OkAsync("datastore", "create", "-f", folder.Write("in.yml", input.Yaml("blob_in")));

        // Mini-batches [a, b], [c, d], [e, f] on one worker, which fetches each one's inputs while the previous one
        // scores: f goes while the first is being scored, after [c, d] was prefetched and before [e, f] is.
        var invoked = await cli.OkAsync("batch-endpoint", "invoke", "-n", "gated-ep", "--input", "azureml://datastores/blob_in/paths/inputs", "--mini-batch-size", "2");
        var name = (string)invoked.Json()["name"]!;
        await WaitForFileAsync(Path.Combine(gate, "started"));
        await input.Client.GetBlobClient("inputs/f.txt").DeleteAsync(cancellationToken: Ct);
        await File.WriteAllTextAsync(Path.Combine(gate, "open"), string.Empty, Ct);
        var stream = await cli.RunAsync("job", "stream", "-n", name);
        var job = (await cli.OkAsync("job", "show", "-n", name)).Json();

        Assert.Equal(2, stream.ExitCode); // completed (error_threshold -1 tolerates failed items), but not everything was scored
        Assert.Equal("Completed", Infrastructure.Jobs.Status(job));
        Assert.Equal((5L, 1L), (Infrastructure.Jobs.Items(job, "succeeded"), Infrastructure.Jobs.Items(job, "failed")));
        var jobFolder = Infrastructure.Jobs.Folder(server, job);
        var failed = File.ReadAllLines(Path.Combine(jobFolder, "logs", "failed_items.csv")).Skip(1).ToList();
        var line = Assert.Single(failed);
        Assert.StartsWith("inputs/f.txt,2,1,InputNotFound,", line, StringComparison.Ordinal);
        Assert.Contains($"datastore 'blob_in' (account devstoreaccount1, container {input.Name}) has no file 'inputs/f.txt'", line, StringComparison.Ordinal);
        var scored = File.ReadAllLines(Path.Combine(jobFolder, "score", "predictions.csv")).Skip(1).Select(l => l.Split(',')[0]);
        Assert.Equal(["a.txt", "b.txt", "c.txt", "d.txt", "e.txt"], scored);
        var errors = string.Concat(Directory.GetFiles(Path.Combine(jobFolder, "logs", "user", "error")).Select(File.ReadAllText));
        Assert.Contains("inputs/f.txt: InputNotFound: datastore 'blob_in'", errors, StringComparison.Ordinal);
        var workerLog = string.Concat(Directory.GetFiles(Path.Combine(jobFolder, "logs", "sys", "worker")).Select(File.ReadAllText));
        Assert.Contains("mini-batch 1: inputs prefetched during the previous run", workerLog, StringComparison.Ordinal);
        Assert.Contains("mini-batch 2: inputs prefetched during the previous run", workerLog, StringComparison.Ordinal);
        await AssertNoSecretAsync(server, [job], AzuriteServer.AccountKey);
    }

    [Fact]
    public async Task Invoke_OnAnEmptyBlobFolder_OrWithAWrongKey_FailsBeforeCreatingAJob_NamingTheDatastoreAndPath()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: Ct);
        using var folder = new TempFolder("blob-invoke");
        var project = TabularProject.Create(folder, "blob-invalid-ep");
        var cli = new CliDriver(server.Url);
        await project.DeployAsync(cli);
        var input = await azurite.CreateContainerAsync("invoke-in", Ct);
        await input.PutAsync("other/a.csv", "f0\n1\n", Ct);
        const string wrongKey = "d3Jvbmcta2V5LXdyb25nLWtleS13cm9uZy1rZXktd3Jvbmcta2V5LXdyb25nLWtleS13cm9uZy1rZXktd3Jvbmcta2V5LQ==";
        await cli.OkAsync("datastore", "create", "-f", folder.Write("in.yml", input.Yaml("blob_in")));
        await cli.OkAsync("datastore", "create", "-f", folder.Write("bad.yml", input.Yaml("blob_bad").Replace(AzuriteServer.AccountKey, wrongKey, StringComparison.Ordinal)));

        var empty = await cli.RunAsync("batch-endpoint", "invoke", "-n", "blob-invalid-ep", "--input", "azureml://datastores/blob_in/paths/empty");
        var refused = await cli.RunAsync("batch-endpoint", "invoke", "-n", "blob-invalid-ep", "--input", "azureml://datastores/blob_bad/paths/other");

        Assert.True(empty.ExitCode == 5, empty.ToString());
        Assert.Contains($"does not exist: datastore 'blob_in' (account devstoreaccount1, container {input.Name}) has no blob named 'empty' nor any under 'empty/'", empty.Error, StringComparison.Ordinal);
        Assert.True(refused.ExitCode == 5, refused.ToString());
        Assert.Contains($"datastore 'blob_bad' (account devstoreaccount1, container {input.Name}) refused the credentials: the account key does not match", refused.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongKey, refused.Error + refused.Out, StringComparison.Ordinal);
        Assert.Empty((await cli.OkAsync("job", "list", "-o", "json")).Json().AsArray());
        await AssertNoSecretAsync(server, [], wrongKey, AzuriteServer.AccountKey);
    }

    private static async Task WaitForFileAsync(string path)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while (!File.Exists(path))
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    /// <summary>No secret in the server's log, the jobs' views, or any file the jobs left (logs, outputs) on the server.</summary>
    private static async Task AssertNoSecretAsync(RunningServer server, System.Text.Json.Nodes.JsonNode[] jobs, params string[] secrets)
    {
        var texts = new List<(string Where, string Text)> { ("server log", await ReadSharedAsync(Path.Combine(server.DataDirectory, "test-server.log"))) };
        texts.AddRange(jobs.Select(j => ("job view", j.ToJsonString())));
        foreach (var job in jobs)
        {
            var jobFolder = Infrastructure.Jobs.Folder(server, job);
            if (Directory.Exists(jobFolder))
            {
                foreach (var file in Directory.GetFiles(jobFolder, "*", SearchOption.AllDirectories))
                {
                    texts.Add((file, await ReadSharedAsync(file)));
                }
            }
        }

        foreach (var secret in secrets)
        {
            var signature = secret.Split('&').FirstOrDefault(p => p.StartsWith("sig=", StringComparison.Ordinal))?[4..];
            foreach (var (where, text) in texts)
            {
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"a secret appears in {where}");
                Assert.False(signature is not null && text.Contains(signature, StringComparison.Ordinal), $"a SAS signature appears in {where}");
            }
        }
    }

    private static async Task<string> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return await new StreamReader(stream).ReadToEndAsync(Ct);
    }
}
