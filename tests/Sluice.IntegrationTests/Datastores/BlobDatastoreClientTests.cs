using System.Security.Cryptography;
using System.Text;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Sas;
using Sluice.Core.Diagnostics;
using Sluice.Data.Datastores;
using Sluice.Data.Datastores.Blob;
using Sluice.IntegrationTests.Infrastructure;

namespace Sluice.IntegrationTests.Datastores;

/// <summary>The blob datastore client against a real Azurite: listing, streaming, committed-block uploads, credentials, errors.</summary>
public sealed class BlobDatastoreClientTests(AzuriteServer azurite)
{
    /// <summary>A key of the right shape that is not the account's.</summary>
    private const string WrongKey = "d3Jvbmcta2V5LXdyb25nLWtleS13cm9uZy1rZXktd3Jvbmcta2V5LXdyb25nLWtleS13cm9uZy1rZXktd3Jvbmcta2V5LQ==";

    private static readonly BlobDatastoreOptions SmallBlocks = new() { BlockSize = 64 << 10, ReadBufferSize = 64 << 10 };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ListFiles_TopLevelAndRecursive_AreInOrdinalOrder()
    {
        var container = await azurite.CreateContainerAsync("list", Ct);
        string[] names = ["in/b.csv", "in/B.csv", "in/a-b.csv", "in/a/x.csv", "in/a0.csv", "in/sub/deep/z.csv", "in/_x.csv", "other.csv"];
        foreach (var name in names)
        {
            await container.PutAsync(name, name, Ct);
        }

        var client = new BlobDatastoreClient(container.Access("listing"));

        var top = await Paths(client.ListFilesAsync("in", recursive: false, Ct));
        var all = await Paths(client.ListFilesAsync("in/", recursive: true, Ct));
        var root = await Paths(client.ListFilesAsync(string.Empty, recursive: false, Ct));

        Assert.Equal(["in/B.csv", "in/_x.csv", "in/a-b.csv", "in/a0.csv", "in/b.csv"], top);
        Assert.Equal(names.Where(n => n.StartsWith("in/", StringComparison.Ordinal)).Order(StringComparer.Ordinal), all);
        Assert.Equal(["other.csv"], root);
        var file = await client.GetItemAsync("in/a/x.csv", Ct);
        Assert.Equal(("in/a/x.csv", false, 10L), (file!.Path, file.IsFolder, file.Length));
        Assert.True((await client.GetItemAsync("in/sub", Ct))!.IsFolder);
        Assert.True((await client.GetItemAsync(string.Empty, Ct))!.IsFolder);
        Assert.Null(await client.GetItemAsync("in/su", Ct));
        Assert.Null(client.TryGetLocalPath("in/b.csv"));
    }

    [Fact]
    public async Task FolderWithNoFiles_ListsNothing_AndDoesNotExist()
    {
        var container = await azurite.CreateContainerAsync("empty", Ct);
        await container.PutAsync("elsewhere/file.csv", "x", Ct);
        var client = new BlobDatastoreClient(container.Access("empty_store"));

        Assert.Empty(await Paths(client.ListFilesAsync("nothing-here", recursive: true, Ct)));
        Assert.Empty(await Paths(client.ListFilesAsync("elsewhere/file.csv", recursive: true, Ct)));
        Assert.Null(await client.GetItemAsync("nothing-here", Ct));
        Assert.Null(await client.GetItemAsync("elsewhere/file", Ct));
    }

    [Fact]
    public async Task OpenRead_StreamsTheBlobInBoundedRanges_AndSeeks()
    {
        var container = await azurite.CreateContainerAsync("read", Ct);
        var content = RandomNumberGenerator.GetBytes(3 << 20);
        await container.Client.GetBlobClient("data/blob.bin").UploadAsync(BinaryData.FromBytes(content), Ct);
        var client = new BlobDatastoreClient(container.Access("reads"), SmallBlocks);

        await using (var stream = await client.OpenReadAsync("data/blob.bin", Ct))
        {
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy, 100_000, Ct);
            Assert.Equal(SHA256.HashData(content), SHA256.HashData(copy.ToArray()));
        }

        await using (var stream = await client.OpenReadAsync("data/blob.bin", Ct))
        {
            stream.Position = 2_000_000;
            var part = new byte[1000];
            await stream.ReadExactlyAsync(part, Ct);
            Assert.Equal(content.AsSpan(2_000_000, 1000).ToArray(), part);
        }

        var missing = await Assert.ThrowsAsync<FileNotFoundException>(() => client.OpenReadAsync("data/none.bin", Ct));
        Assert.Equal($"datastore 'reads' (account devstoreaccount1, container {container.Name}) has no file 'data/none.bin' (BlobNotFound).", missing.Message);
    }

    [Fact]
    public async Task BeginWrite_StagesBlocks_InvisibleUntilCommit()
    {
        var container = await azurite.CreateContainerAsync("commit", Ct);
        var client = new BlobDatastoreClient(container.Access("uploads"), SmallBlocks);
        var content = RandomNumberGenerator.GetBytes((200 << 10) + 123);

        await using (var upload = await client.BeginWriteAsync("out/result.bin", overwrite: false, Ct))
        {
            await upload.Content.WriteAsync(content.AsMemory(0, 100_000), Ct);
            upload.Content.Write(content, 100_000, content.Length - 100_000);

            // Three full blocks are staged by now, and still nothing is there to see.
            Assert.Null(await client.GetItemAsync("out/result.bin", Ct));
            Assert.Empty(await Paths(client.ListFilesAsync("out", recursive: true, Ct)));
            Assert.False((await container.Client.GetBlobClient("out/result.bin").ExistsAsync(Ct)).Value);

            await upload.CommitAsync(Ct);
        }

        var item = await client.GetItemAsync("out/result.bin", Ct);
        Assert.Equal(content.Length, item!.Length);
        var blocks = (await container.Client.GetBlockBlobClient("out/result.bin").GetBlockListAsync(BlockListTypes.Committed, cancellationToken: Ct)).Value;
        Assert.Equal(4, blocks.CommittedBlocks.Count());
        var downloaded = (await container.Client.GetBlobClient("out/result.bin").DownloadContentAsync(Ct)).Value.Content.ToArray();
        Assert.Equal(content, downloaded);
    }

    [Fact]
    public async Task BeginWrite_DisposedWithoutCommit_LeavesNothingVisible()
    {
        var container = await azurite.CreateContainerAsync("abandon", Ct);
        var client = new BlobDatastoreClient(container.Access("uploads"), SmallBlocks);

        await using (var upload = await client.BeginWriteAsync("out/abandoned.bin", overwrite: false, Ct))
        {
            await upload.Content.WriteAsync(RandomNumberGenerator.GetBytes(300 << 10), Ct);
        }

        Assert.Null(await client.GetItemAsync("out/abandoned.bin", Ct));
        Assert.Empty(await Paths(client.ListFilesAsync(string.Empty, recursive: true, Ct)));
        await client.WriteAsync("out/abandoned.bin", new MemoryStream(Encoding.UTF8.GetBytes("later")), overwrite: false, Ct);
        Assert.Equal(5, (await client.GetItemAsync("out/abandoned.bin", Ct))!.Length);
    }

    [Fact]
    public async Task Write_WithoutOverwrite_RefusesAnExistingFile_EvenOneCommittedMeanwhile()
    {
        var container = await azurite.CreateContainerAsync("conflict", Ct);
        var client = new BlobDatastoreClient(container.Access("outputs"));
        await client.WriteAsync("scores/predictions.csv", new MemoryStream("first\n"u8.ToArray()), overwrite: false, Ct);

        var upfront = await Assert.ThrowsAsync<IOException>(() => client.WriteAsync("scores/predictions.csv", new MemoryStream("second\n"u8.ToArray()), overwrite: false, Ct));
        await using var late = await client.BeginWriteAsync("scores/late.csv", overwrite: false, Ct);
        await late.Content.WriteAsync("late\n"u8.ToArray(), Ct);
        await client.WriteAsync("scores/late.csv", new MemoryStream("winner\n"u8.ToArray()), overwrite: false, Ct);
        var raced = await Assert.ThrowsAsync<IOException>(() => late.CommitAsync(Ct));
        await client.WriteAsync("scores/predictions.csv", new MemoryStream("replaced\n"u8.ToArray()), overwrite: true, Ct);

        Assert.Equal($"datastore 'outputs' (account devstoreaccount1, container {container.Name}): 'scores/predictions.csv' already exists.", upfront.Message);
        Assert.Contains("'scores/late.csv' already exists", raced.Message, StringComparison.Ordinal);
        Assert.Equal("winner\n", (await container.Client.GetBlobClient("scores/late.csv").DownloadContentAsync(Ct)).Value.Content.ToString());
        Assert.Equal("replaced\n", (await container.Client.GetBlobClient("scores/predictions.csv").DownloadContentAsync(Ct)).Value.Content.ToString());
    }

    [Fact]
    public async Task Delete_RemovesAFileOrAFolder_ButNeverTheRoot()
    {
        var container = await azurite.CreateContainerAsync("delete", Ct);
        var client = new BlobDatastoreClient(container.Access("deletes"));
        await container.PutAsync("keep.csv", "k", Ct);
        await container.PutAsync("gone/a.csv", "a", Ct);
        await container.PutAsync("gone/deep/b.csv", "b", Ct);

        Assert.True(await client.DeleteAsync("gone", Ct));
        Assert.False(await client.DeleteAsync("gone", Ct));
        Assert.False(await client.DeleteAsync(string.Empty, Ct));
        Assert.True(await client.DeleteAsync("keep.csv", Ct));
        Assert.Empty(await Paths(client.ListFilesAsync(string.Empty, recursive: true, Ct)));
    }

    [Fact]
    public async Task SasToken_ReadsAndWrites_AndAReadOnlyTokenIsRefusedWritesWithAClearMessage()
    {
        var container = await azurite.CreateContainerAsync("sas", Ct);
        await container.PutAsync("in/a.csv", "a,b\n1,2\n", Ct);
        var sas = container.SasToken();
        var readOnly = container.SasToken(BlobContainerSasPermissions.Read | BlobContainerSasPermissions.List);
        var client = new BlobDatastoreClient(container.Access("by_sas", DatastoreCredentialKind.SasToken, $"?{sas}"));
        var reader = new BlobDatastoreClient(container.Access("read_only", DatastoreCredentialKind.SasToken, readOnly));

        Assert.Equal(["in/a.csv"], await Paths(client.ListFilesAsync("in", recursive: false, Ct)));
        await client.WriteAsync("out/b.csv", new MemoryStream("x\n"u8.ToArray()), overwrite: false, Ct);
        Assert.Equal(["in/a.csv"], await Paths(reader.ListFilesAsync("in", recursive: false, Ct)));
        await using (var stream = await reader.OpenReadAsync("in/a.csv", Ct))
        {
            Assert.Equal("a,b\n1,2\n", await new StreamReader(stream).ReadToEndAsync(Ct));
        }

        var refused = await Assert.ThrowsAsync<SluiceException>(() => reader.WriteAsync("out/c.csv", new MemoryStream("x\n"u8.ToArray()), overwrite: true, Ct));
        Assert.StartsWith($"datastore 'read_only' (account devstoreaccount1, container {container.Name}) refused to write 'out/c.csv': the credentials do not allow it", refused.Message, StringComparison.Ordinal);
        Assert.Contains("SAS token", refused.Hint, StringComparison.Ordinal);
        AssertNoSecret(refused, sas, readOnly);
    }

    [Fact]
    public async Task WrongAccountKey_FailsNamingTheDatastoreAccountAndContainer_WithoutTheKey()
    {
        var container = await azurite.CreateContainerAsync("wrongkey", Ct);
        var client = new BlobDatastoreClient(container.Access("bad_key", DatastoreCredentialKind.AccountKey, WrongKey));

        var listing = await Assert.ThrowsAsync<SluiceException>(() => Paths(client.ListFilesAsync("in", recursive: true, Ct)));
        var reading = await Assert.ThrowsAsync<SluiceException>(() => client.GetItemAsync("in/a.csv", Ct));
        var writing = await Assert.ThrowsAsync<SluiceException>(() => client.WriteAsync("out/a.csv", new MemoryStream([1]), overwrite: true, Ct));

        foreach (var failure in new[] { listing, reading, writing })
        {
            Assert.True(failure.Message.StartsWith($"datastore 'bad_key' (account devstoreaccount1, container {container.Name}) refused the credentials: the account key does not match", StringComparison.Ordinal), failure.Message);
            Assert.Contains("key1 or key2", failure.Hint, StringComparison.Ordinal);
            AssertNoSecret(failure, WrongKey, AzuriteServer.AccountKey);
        }
    }

    [Fact]
    public async Task AccountKeyThatIsNotBase64_IsRefusedWithoutBeingShown()
    {
        var container = await azurite.CreateContainerAsync("notbase64", Ct);

        var refused = Assert.Throws<SluiceException>(() => container.Access("odd_key", DatastoreCredentialKind.AccountKey, "not a key!").Open());

        Assert.Contains("the account key is not a base64 string", refused.Message, StringComparison.Ordinal);
        AssertNoSecret(refused, "not a key!");
    }

    [Fact]
    public async Task MissingContainer_FailsWithContainerNotFound_NamingIt()
    {
        var container = await azurite.CreateContainerAsync("missing", Ct);
        var access = container.Access("no_container") with { ContainerName = "no-such-container" };
        var client = new BlobDatastoreClient(access);

        var listing = await Assert.ThrowsAsync<SluiceException>(() => Paths(client.ListFilesAsync(string.Empty, recursive: true, Ct)));
        var reading = await Assert.ThrowsAsync<SluiceException>(() => client.OpenReadAsync("a.csv", Ct));
        var item = await Assert.ThrowsAsync<SluiceException>(() => client.GetItemAsync("a.csv", Ct));

        foreach (var failure in new[] { listing, reading, item })
        {
            Assert.Equal("datastore 'no_container' (account devstoreaccount1, container no-such-container): the container 'no-such-container' does not exist in storage account 'devstoreaccount1' (ContainerNotFound).", failure.Message);
            Assert.Equal("create the container, or fix container_name in the datastore's spec", failure.Hint);
        }
    }

    [Fact]
    public async Task PublicContainer_ListsAnonymously_AndAPrivateOneAsksForCredentials()
    {
        var open = await azurite.CreateContainerAsync("public", Ct);
        await open.Client.SetAccessPolicyAsync(PublicAccessType.BlobContainer, cancellationToken: Ct);
        await open.PutAsync("in/a.csv", "a\n", Ct);
        var closed = await azurite.CreateContainerAsync("private", Ct);

        var listed = await Paths(new BlobDatastoreClient(open.Access("open_store", DatastoreCredentialKind.None)).ListFilesAsync("in", recursive: false, Ct));
        var refused = await Assert.ThrowsAsync<SluiceException>(() => Paths(new BlobDatastoreClient(closed.Access("closed_store", DatastoreCredentialKind.None)).ListFilesAsync("in", recursive: false, Ct)));

        Assert.Equal(["in/a.csv"], listed);
        Assert.StartsWith($"datastore 'closed_store' (account devstoreaccount1, container {closed.Name})", refused.Message, StringComparison.Ordinal);
        Assert.Contains("credentials.account_key or credentials.sas_token", refused.Hint ?? refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BlobDeletedWhileBeingRead_FailsWithFileNotFound_NamingTheDatastoreAndPath()
    {
        var container = await azurite.CreateContainerAsync("midread", Ct);
        await container.Client.GetBlobClient("in/big.csv").UploadAsync(BinaryData.FromBytes(new byte[1 << 20]), Ct);
        var client = new BlobDatastoreClient(container.Access("vanishing"), SmallBlocks);

        await using var stream = await client.OpenReadAsync("in/big.csv", Ct);
        var first = new byte[SmallBlocks.ReadBufferSize];
        await stream.ReadExactlyAsync(first, Ct);
        await container.Client.GetBlobClient("in/big.csv").DeleteAsync(cancellationToken: Ct);
        var failure = await Assert.ThrowsAsync<FileNotFoundException>(async () => await stream.CopyToAsync(Stream.Null, Ct));

        Assert.Equal($"datastore 'vanishing' (account devstoreaccount1, container {container.Name}): 'in/big.csv' was deleted while it was being read (BlobNotFound).", failure.Message);
        Assert.Equal("in/big.csv", failure.FileName);
    }

    [Fact]
    public async Task UnreachableEndpoint_FailsAsUnavailable_NamingTheEndpoint()
    {
        var container = await azurite.CreateContainerAsync("unreachable", Ct);
        var port = ClosedPort();
        var access = container.Access("far_away") with { BlobEndpoint = $"http://127.0.0.1:{port}/devstoreaccount1" };
        var client = new BlobDatastoreClient(access, new BlobDatastoreOptions { MaxRetries = 1, RetryDelay = TimeSpan.FromMilliseconds(10), MaxRetryDelay = TimeSpan.FromMilliseconds(10) });

        var failure = await Assert.ThrowsAsync<SluiceException>(() => client.GetItemAsync("in/a.csv", Ct));

        Assert.Equal(SluiceErrorKind.Unavailable, failure.Kind);
        Assert.StartsWith($"datastore 'far_away' (account devstoreaccount1, container {container.Name}) cannot be reached at http://127.0.0.1:{port}/devstoreaccount1: ", failure.Message, StringComparison.Ordinal);
        Assert.Contains("endpoint", failure.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DatastoreAccess_PrintsItsSecretRedacted()
    {
        var container = await azurite.CreateContainerAsync("print", Ct);
        var sas = container.SasToken();
        var byKey = container.Access("printed");
        var bySas = container.Access("printed", DatastoreCredentialKind.SasToken, sas);

        foreach (var access in new[] { byKey, bySas })
        {
            var text = access.ToString();
            Assert.Contains("Secret = (redacted)", text, StringComparison.Ordinal);
            Assert.Contains($"ContainerName = {container.Name}", text, StringComparison.Ordinal);
            Assert.DoesNotContain(AzuriteServer.AccountKey, text, StringComparison.Ordinal);
            Assert.DoesNotContain(sas, text, StringComparison.Ordinal);
        }
    }

    private static async Task<List<string>> Paths(IAsyncEnumerable<DatastoreItem> items)
    {
        var paths = new List<string>();
        await foreach (var item in items)
        {
            paths.Add(item.Path);
        }

        return paths;
    }

    /// <summary>No message, hint or inner message of the failure carries a secret (nor a SAS token's signature).</summary>
    private static void AssertNoSecret(Exception failure, params string[] secrets)
    {
        var text = failure.ToString() + (failure as SluiceException)?.Hint;
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            if (secret.Split('&').FirstOrDefault(p => p.StartsWith("sig=", StringComparison.Ordinal)) is { } signature)
            {
                Assert.DoesNotContain(signature[4..], text, StringComparison.Ordinal);
            }
        }
    }

    /// <summary>A loopback port nobody listens on: one the OS gave and took back.</summary>
    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
