using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sluice.Data.Datastores;
using Sluice.Data.Secrets;
using Sluice.Data.Store;
using Sluice.IntegrationTests.Infrastructure;
using static Sluice.IntegrationTests.Infrastructure.SampleSpecs;

namespace Sluice.IntegrationTests.Resources;

/// <summary>Datastore credentials: encrypted at rest, kept across updates, and never shown, logged or put in a job.</summary>
public sealed class DatastoreSecretTests
{
    // Recognisable secrets: any copy of them, anywhere the test can look, is a leak.
    private const string AccountKey = "U0xVSUNFLUxFQUstVEVTVC1BQ0NPVU5ULUtFWS0wMTIz";
    private const string SasSignature = "U0xVSUNFLUxFQUstVEVTVC1TQVMtU0lH";
    private const string SasToken = "sv=2024-08-04&ss=b&srt=co&sp=rl&sig=" + SasSignature;

    [Fact]
    public async Task Credentials_AreAbsentFromEveryResponse_TheServerLog_AndTheDatabaseFiles()
    {
        var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("secrets");
        var seen = new List<string>();
        try
        {
            var cli = new CliDriver(server.Url);
            async Task<CliResult> Run(params string[] args)
            {
                var result = await cli.RunAsync(args);
                seen.Add(result.Out);
                seen.Add(result.Error);
                return result;
            }

            using var api = new RawApi(server.Url);
            async Task Get(string path)
            {
                using var response = await api.SendAsync(HttpMethod.Get, path);
                seen.Add(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            }

            folder.Write("key.yml", Blob("key_store", $"account_key: {AccountKey}"));
            folder.Write("sas.yml", Blob("sas_store", $"sas_token: \"{SasToken}\""));
            Assert.Equal(0, (await Run("datastore", "create", "-f", folder.Combine("key.yml"))).ExitCode);
            Assert.Equal(0, (await Run("datastore", "create", "-f", folder.Combine("sas.yml"))).ExitCode);
            await Run("datastore", "show", "-n", "key_store");
            await Run("datastore", "show", "-n", "sas_store", "-o", "table");
            await Run("datastore", "list");
            await Run("datastore", "list", "-o", "json");
            var updated = await Run("datastore", "update", "-n", "key_store", "--set", "description=changed");
            Assert.Equal(0, updated.ExitCode);
            Assert.Equal("account_key", At(updated.Json(), "credentials.type"));
            Assert.Equal("changed", At(updated.Json(), "description"));
            await Get("/workspaces/default/datastores");
            await Get("/workspaces/default/datastores/key_store");
            await Get("/workspaces/default/datastores/sas_store");

            // Jobs next to those datastores: a normal job, and one that names a credentialed datastore for its output.
            var project = TabularProject.Create(folder, "secrets-ep", files: 2, rowsPerFile: 5);
            await project.DeployAsync(cli);
            var job = await Run("batch-endpoint", "invoke", "-n", "secrets-ep", "--input", project.DataFolder);
            await Run("job", "stream", "-n", (string)job.Json()["name"]!);
            var toBlob = await Run("batch-endpoint", "invoke", "-n", "secrets-ep", "--input", project.DataFolder, "--output-path", "http://127.0.0.1:9/sluicetests/scoring/out/");
            if (toBlob.ExitCode == 0)
            {
                await Run("job", "cancel", "-n", (string)toBlob.Json()["name"]!);
            }

            await Run("job", "list", "-o", "json");
            await Run("job", "show", "-n", (string)job.Json()["name"]!);
            await Get("/workspaces/default/jobs");

            // The key is kept through the update, encrypted, and decrypts to what was given.
            await using (var db = await server.Services.GetRequiredService<IDbContextFactory<SluiceDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken))
            {
                Assert.Equal(2, await db.Secrets.CountAsync(TestContext.Current.CancellationToken));
                Assert.All(await db.Secrets.ToListAsync(TestContext.Current.CancellationToken), row => Assert.True(SecretStore.IsProtected(row.Value)));
                var secrets = server.Services.GetRequiredService<SecretStore>();
                Assert.Equal(AccountKey, await secrets.GetAsync(db, DatastoreSecrets.Address("default", "key_store"), TestContext.Current.CancellationToken));
                Assert.Equal(SasToken, await secrets.GetAsync(db, DatastoreSecrets.Address("default", "sas_store"), TestContext.Current.CancellationToken));
            }
        }
        finally
        {
            await server.StopAsync();
        }

        try
        {
            Assert.NotEmpty(seen);
            foreach (var text in seen)
            {
                Assert.DoesNotContain(AccountKey, text, StringComparison.Ordinal);
                Assert.DoesNotContain(SasSignature, text, StringComparison.Ordinal);
            }

            var files = Directory.GetFiles(server.DataDirectory, "*", SearchOption.AllDirectories);
            Assert.Contains(files, f => Path.GetFileName(f) == "test-server.log");
            Assert.Contains(files, f => Path.GetFileName(f) == "sluice.db");
            foreach (var file in files)
            {
                var bytes = await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken);
                Assert.False(Contains(bytes, AccountKey), $"the account key is in plain text in {Path.GetRelativePath(server.DataDirectory, file)}");
                Assert.False(Contains(bytes, SasSignature), $"the SAS token is in plain text in {Path.GetRelativePath(server.DataDirectory, file)}");
            }
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Update_WithoutCredentials_KeepsThemForTheSameAccount_AndDropsThemForAnotherWithAWarning()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("secrets-update");
        var cli = new CliDriver(server.Url);
        folder.Write("key.yml", Blob("key_store", $"account_key: {AccountKey}"));
        await cli.OkAsync("datastore", "create", "-f", folder.Combine("key.yml"));

        var sameAccount = (await cli.OkAsync("datastore", "create", "-f", folder.Write("again.yml", Blob("key_store", credentials: null)))).Json();
        var otherAccount = await cli.OkAsync("datastore", "update", "-n", "key_store", "--set", "account_name=othertests", "--set", "endpoint=http://127.0.0.1:9/othertests");

        Assert.Equal("account_key", At(sameAccount, "credentials.type"));
        Assert.Null(At(otherAccount.Json(), "credentials"));
        Assert.Contains("warning: the stored account_key of datastore 'key_store' was for storage account 'sluicetests' and was removed", otherAccount.Error, StringComparison.Ordinal);
        await using var db = await server.Services.GetRequiredService<IDbContextFactory<SluiceDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0, await db.Secrets.CountAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Server_WithAnotherKeyRing_CannotOpenTheDatastore_AndSaysWhy()
    {
        using var data = new TempFolder("secrets-keyring");
        using var folder = new TempFolder("secrets-keyring-specs");
        await using (var first = await RunningServer.StartAsync(data.Path, cancellationToken: TestContext.Current.CancellationToken))
        {
            folder.Write("key.yml", Blob("key_store", $"account_key: {AccountKey}"));
            await new CliDriver(first.Url).OkAsync("datastore", "create", "-f", folder.Combine("key.yml"));
        }

        await using var second = await RunningServer.StartAsync(data.Path, options => options.KeyRingDirectory = Path.Combine(data.Path, "other-keys"), TestContext.Current.CancellationToken);
        var listing = await new CliDriver(second.Url).RunAsync("datastore", "show", "-n", "key_store");
        var opened = await Assert.ThrowsAsync<Core.Diagnostics.SluiceException>(() => second.Services.GetRequiredService<DatastoreRegistry>().GetAccessAsync("default", "key_store", TestContext.Current.CancellationToken));

        Assert.Equal(0, listing.ExitCode);
        Assert.Contains("cannot be decrypted", opened.Message, StringComparison.Ordinal);
        Assert.Contains("key ring", opened.Hint, StringComparison.Ordinal);
        Assert.DoesNotContain(AccountKey, second.Log.Tail(400), StringComparison.Ordinal);
    }

    private static string Blob(string name, string? credentials) => $"""
        name: {name}
        type: azure_blob
        account_name: sluicetests
        container_name: scoring
        endpoint: http://127.0.0.1:9/sluicetests
        protocol: http
        {(credentials is null ? string.Empty : "credentials:\n  " + credentials)}
        """;

    private static bool Contains(byte[] haystack, string needle) => haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle)) >= 0;
}
