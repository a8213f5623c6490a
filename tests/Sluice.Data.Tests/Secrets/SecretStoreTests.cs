using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sluice.Core.Diagnostics;
using Sluice.Data.Secrets;
using Sluice.Data.Store;
using Sluice.Data.Tests.TestSupport;

namespace Sluice.Data.Tests.Secrets;

public sealed class SecretStoreTests : IDisposable
{
    private const string Secret = "c2x1aWNlLXNlY3JldC1zdG9yZS10ZXN0LWtleQ==";
    private static readonly SecretAddress Address = new("default", "datastore", "blob_store");

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Set_StoresCiphertext_AndGetReturnsThePlainSecret()
    {
        await using var services = await StartAsync(_folder.Combine("keys"));
        var (store, factory) = (services.GetRequiredService<SecretStore>(), services.GetRequiredService<IDbContextFactory<SluiceDbContext>>());

        await SaveAsync(services, Address, Secret);

        await using var db = await factory.CreateDbContextAsync(TestContext.Current.CancellationToken);
        var row = await db.Secrets.SingleAsync(TestContext.Current.CancellationToken);
        Assert.True(SecretStore.IsProtected(row.Value));
        Assert.DoesNotContain(Secret, Encoding.UTF8.GetString(row.Value), StringComparison.Ordinal);
        Assert.Equal(Secret, await store.GetAsync(db, Address, TestContext.Current.CancellationToken));
        Assert.NotEmpty(Directory.GetFiles(_folder.Combine("keys"), "key-*.xml"));
    }

    [Fact]
    public async Task Get_OfARowCopiedToAnotherAddress_Fails()
    {
        await using var services = await StartAsync(_folder.Combine("keys"));
        var factory = services.GetRequiredService<IDbContextFactory<SluiceDbContext>>();
        await SaveAsync(services, Address, Secret);

        await using var db = await factory.CreateDbContextAsync(TestContext.Current.CancellationToken);
        var row = await db.Secrets.AsNoTracking().SingleAsync(TestContext.Current.CancellationToken);
        db.Secrets.Add(new SecretRecord { Workspace = "default", Scope = "datastore", Name = "other_store", Value = row.Value });
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<SluiceException>(() => services.GetRequiredService<SecretStore>().GetAsync(db, Address with { Name = "other_store" }, TestContext.Current.CancellationToken));
        Assert.Contains("cannot be decrypted", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_WithAnotherKeyRing_FailsWithAClearMessage()
    {
        var databaseFolder = _folder.Combine("data");
        await using (var first = await StartAsync(_folder.Combine("keys"), databaseFolder))
        {
            await SaveAsync(first, Address, Secret);
        }

        await using var second = await StartAsync(_folder.Combine("other-keys"), databaseFolder);
        await using var db = await second.GetRequiredService<IDbContextFactory<SluiceDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<SluiceException>(() => second.GetRequiredService<SecretStore>().GetAsync(db, Address, TestContext.Current.CancellationToken));
        Assert.Equal(SluiceErrorKind.Conflict, error.Kind);
        Assert.Contains("key ring", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.Message + error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_WithTheSameKeyRingInAnotherServer_ReadsTheSecret()
    {
        var databaseFolder = _folder.Combine("data");
        await using (var first = await StartAsync(_folder.Combine("keys"), databaseFolder))
        {
            await SaveAsync(first, Address, Secret);
        }

        await using var second = await StartAsync(_folder.Combine("keys"), databaseFolder);
        await using var db = await second.GetRequiredService<IDbContextFactory<SluiceDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);

        Assert.Equal(Secret, await second.GetRequiredService<SecretStore>().GetAsync(db, Address, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ProtectPlaintext_EncryptsRowsOfEarlierVersions_Once()
    {
        await using var services = await StartAsync(_folder.Combine("keys"));
        var (store, factory) = (services.GetRequiredService<SecretStore>(), services.GetRequiredService<IDbContextFactory<SluiceDbContext>>());
        await using (var db = await factory.CreateDbContextAsync(TestContext.Current.CancellationToken))
        {
            db.Secrets.Add(new SecretRecord { Workspace = Address.Workspace, Scope = Address.Scope, Name = Address.Name, Value = Encoding.UTF8.GetBytes(Secret) });
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        Assert.Equal(1, await store.ProtectPlaintextAsync(factory, TestContext.Current.CancellationToken));
        Assert.Equal(0, await store.ProtectPlaintextAsync(factory, TestContext.Current.CancellationToken));

        await using var check = await factory.CreateDbContextAsync(TestContext.Current.CancellationToken);
        Assert.True(SecretStore.IsProtected((await check.Secrets.SingleAsync(TestContext.Current.CancellationToken)).Value));
        Assert.Equal(Secret, await store.GetAsync(check, Address, TestContext.Current.CancellationToken));
    }

    private static async Task SaveAsync(IServiceProvider services, SecretAddress address, string secret)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<SluiceDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        await services.GetRequiredService<SecretStore>().SetAsync(db, address, secret, TestContext.Current.CancellationToken);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
    }

    private async Task<ServiceProvider> StartAsync(string keyRing, string? dataDirectory = null)
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(TimeProvider.System)
            .AddSluiceStore(new StoreOptions { DataDirectory = dataDirectory ?? _folder.Combine("data"), Location = StoreLocation.Sqlite })
            .AddSluiceSecrets(new SecretStoreOptions { KeyRingDirectory = keyRing })
            .BuildServiceProvider();
        await services.GetRequiredService<SluiceDatabase>().MigrateAsync(TestContext.Current.CancellationToken);
        return services;
    }
}
