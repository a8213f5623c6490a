using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Sluice.Cli.Specs;
using Sluice.IntegrationTests.Infrastructure;
using Sluice.Server.Uploads;
using static Sluice.IntegrationTests.Infrastructure.SampleSpecs;

namespace Sluice.IntegrationTests.Resources;

/// <summary>Creating data assets from local files: progress on standard error, and block uploads that resume.</summary>
public sealed class DataUploadTests
{
    private const string Datastore = LocalArtifactUploader.Datastore;

    [Fact]
    public async Task LargeFile_InterruptedAfterSomeBlocks_ResumesSendingOnlyTheMissingBlocks()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("upload-resume");
        var file = folder.Combine("big.bin");
        var content = new byte[(3L * LocalArtifactUploader.BlockSize) + 1234];
        new Random(42).NextBytes(content);
        await File.WriteAllBytesAsync(file, content, TestContext.Current.CancellationToken);
        var target = $"LocalUpload/{await LocalArtifactUploader.ContentHashAsync(file, [file], TestContext.Current.CancellationToken)}/big.bin";
        var id = LocalArtifactUploader.UploadId(Datastore, target, content.Length, LocalArtifactUploader.BlockSize);
        var upload = $"/workspaces/default/datastores/{Datastore}/uploads/{id}";

        // An earlier run that stopped after two of the four blocks.
        using var api = new RawApi(server.Url);
        using (var begun = await api.SendAsync(HttpMethod.Put, upload, RawApi.Json($$"""{"path":"{{target}}","length":{{content.Length}},"block_size":{{LocalArtifactUploader.BlockSize}},"overwrite":true}""")))
        {
            Assert.Equal(HttpStatusCode.Created, begun.StatusCode);
        }

        foreach (var index in new[] { 0, 2 })
        {
            using var sent = await api.SendAsync(HttpMethod.Put, $"{upload}/blocks/{index}", Block(content, index));
            Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
        }

        var uploads = server.Services.GetRequiredService<BlockUploads>();
        var before = uploads.BlocksReceived;
        Assert.Equal("[0,2]", (await api.GetAsync(upload))["blocks"]!.ToJsonString());

        var created = await new CliDriver(server.Url).OkAsync("data", "create", "-n", "big", "--type", "uri_file", "--path", file);

        Assert.Equal(2, uploads.BlocksReceived - before);
        Assert.Contains("Resuming big.bin: 2 of 4 blocks are already on the server", created.Error, StringComparison.Ordinal);
        Assert.Contains("(100%)", created.Error, StringComparison.Ordinal);
        Assert.Equal($"azureml://datastores/{Datastore}/paths/{target}", At(created.Json(), "path"));
        var stored = Path.Combine(server.DataDirectory, "datastores", "default", Datastore, target);
        Assert.Equal(SHA256.HashData(content), SHA256.HashData(await File.ReadAllBytesAsync(stored, TestContext.Current.CancellationToken)));
        Assert.False(Directory.Exists(Path.Combine(server.DataDirectory, "uploads", "default", Datastore, id)), "a committed upload's blocks must be removed");
        await api.ProblemAsync(HttpStatusCode.NotFound, HttpMethod.Get, upload);
    }

    [Fact]
    public async Task FolderOfSmallFiles_ShowsProgressOnStandardError_AndKeepsStandardOutputForTheResult()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("upload-progress");
        for (var i = 0; i < 5; i++)
        {
            folder.Write($"batch/part-{i}.csv", $"a,b\n{i},{new string('x', 1000)}\n");
        }

        var created = await new CliDriver(server.Url).OkAsync("data", "create", "-n", "batch", "--path", folder.Combine("batch"));

        Assert.Contains("Uploading", created.Error, StringComparison.Ordinal);
        Assert.Contains("(5 files, ", created.Error, StringComparison.Ordinal);
        Assert.Contains("(100%)", created.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("%", created.Out, StringComparison.Ordinal);
        Assert.Equal("1", At(created.Json(), "version"));
    }

    [Fact]
    public async Task BlockApi_RefusesWrongBlocksIncompleteCommitsAndReusedIds()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var api = new RawApi(server.Url);
        const int blockSize = 64 * 1024;
        var content = new byte[(2 * blockSize) + 10];
        new Random(7).NextBytes(content);
        var upload = $"/workspaces/default/datastores/{Datastore}/uploads/rest-upload-1";
        var begin = $$"""{"path":"rest/file.bin","length":{{content.Length}},"block_size":{{blockSize}}}""";
        using (var begun = await api.SendAsync(HttpMethod.Put, upload, RawApi.Json(begin)))
        {
            Assert.Equal(HttpStatusCode.Created, begun.StatusCode);
        }

        using (var again = await api.SendAsync(HttpMethod.Put, upload, RawApi.Json(begin)))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }

        var reused = await api.ProblemAsync(HttpStatusCode.Conflict, HttpMethod.Put, upload, RawApi.Json($$"""{"path":"rest/other.bin","length":5,"block_size":{{blockSize}}}"""));
        var badRequest = await api.ProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Put, $"/workspaces/default/datastores/{Datastore}/uploads/rest-upload-2", RawApi.Json("""{"path":"../escape.bin","length":5,"block_size":1}"""));
        var shortBlock = await api.ProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Put, $"{upload}/blocks/0", Bytes(content.AsMemory(0, 100).ToArray()));
        var outOfRange = await api.ProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Put, $"{upload}/blocks/3", Bytes([1, 2, 3]));
        await api.ProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Get, $"/workspaces/default/datastores/{Datastore}/uploads/bad");
        using (var last = await api.SendAsync(HttpMethod.Put, $"{upload}/blocks/2", Bytes(content.AsMemory(2 * blockSize).ToArray())))
        {
            Assert.Equal(HttpStatusCode.Created, last.StatusCode);
        }

        var incomplete = await api.ProblemAsync(HttpStatusCode.Conflict, HttpMethod.Post, $"{upload}/commit");

        Assert.Contains("another file", (string?)reused["detail"], StringComparison.Ordinal);
        Assert.Contains("contains '..'", (string?)badRequest["detail"], StringComparison.Ordinal);
        Assert.Contains("it must have 65536", (string?)shortBlock["detail"], StringComparison.Ordinal);
        Assert.Contains("out of range", (string?)outOfRange["detail"], StringComparison.Ordinal);
        Assert.Contains("missing 2 of 3 block(s): 0, 1", (string?)incomplete["detail"], StringComparison.Ordinal);

        foreach (var index in new[] { 1, 0 })
        {
            using var sent = await api.SendAsync(HttpMethod.Put, $"{upload}/blocks/{index}", Bytes(content.AsMemory(index * blockSize, blockSize).ToArray()));
            Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
        }

        using (var committed = await api.SendAsync(HttpMethod.Post, $"{upload}/commit"))
        {
            Assert.Equal(HttpStatusCode.Created, committed.StatusCode);
        }

        var stored = Path.Combine(server.DataDirectory, "datastores", "default", Datastore, "rest", "file.bin");
        Assert.Equal(content, await File.ReadAllBytesAsync(stored, TestContext.Current.CancellationToken));
        var exists = await api.ProblemAsync(HttpStatusCode.Conflict, HttpMethod.Put, upload, RawApi.Json(begin));
        Assert.Contains("already exists", (string?)exists["detail"], StringComparison.Ordinal);

        var aborted = $"/workspaces/default/datastores/{Datastore}/uploads/rest-upload-3";
        (await api.SendAsync(HttpMethod.Put, aborted, RawApi.Json($$"""{"path":"rest/aborted.bin","length":5,"block_size":{{blockSize}}}"""))).Dispose();
        using (var deleted = await api.SendAsync(HttpMethod.Delete, aborted))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        await api.ProblemAsync(HttpStatusCode.NotFound, HttpMethod.Get, aborted);
    }

    private static ByteArrayContent Block(byte[] content, int index)
    {
        var start = index * LocalArtifactUploader.BlockSize;
        return Bytes(content.AsMemory(start, Math.Min(LocalArtifactUploader.BlockSize, content.Length - start)).ToArray());
    }

    private static ByteArrayContent Bytes(byte[] bytes)
    {
        var body = new ByteArrayContent(bytes);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return body;
    }
}
