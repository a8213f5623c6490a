using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Sluice.Core.Diagnostics;
using Sluice.Data.Store;

namespace Sluice.Data.Secrets;

/// <summary>Which secret: the owning workspace, the kind of owner (e.g. <c>datastore</c>) and the owner's name.</summary>
public readonly record struct SecretAddress(string Workspace, string Scope, string Name)
{
    public override string ToString() => $"{Scope} '{Name}' in workspace '{Workspace}'";
}

/// <summary>
/// The <c>secrets</c> table, encrypted. Values are sealed with ASP.NET Core Data Protection before they reach the
/// database; the keys live in a key ring folder outside it (<see cref="SecretStoreOptions"/>), so a copy of the
/// database alone reveals nothing. Each value is bound to its address: a row copied onto another one does not decrypt.
/// </summary>
public sealed partial class SecretStore(IDataProtectionProvider provider, SecretStoreOptions options, TimeProvider clock, ILogger<SecretStore> logger)
{
    /// <summary>Shared by every server of a deployment; with the same key ring they read each other's secrets.</summary>
    public const string ApplicationName = "Sluice";

    private const string Purpose = "Sluice.Secrets.v1";

    // Data Protection payloads start with this magic number; a value without it predates encryption at rest.
    private static readonly byte[] ProtectedHeader = [0x09, 0xF0, 0xC9, 0xF0];

    /// <summary>Adds or replaces a secret in the caller's unit of work (saved with the caller's changes).</summary>
    public async Task SetAsync(SluiceDbContext db, SecretAddress address, string secret, CancellationToken cancellationToken = default)
    {
        var value = Protector(address).Protect(Encoding.UTF8.GetBytes(secret));
        var now = clock.GetUtcNow().UtcDateTime;
        var existing = await db.Secrets.FindAsync([address.Workspace, address.Scope, address.Name], cancellationToken);
        if (existing is null)
        {
            db.Secrets.Add(new SecretRecord { Workspace = address.Workspace, Scope = address.Scope, Name = address.Name, Value = value, ModifiedAt = now });
        }
        else
        {
            existing.Value = value;
            existing.ModifiedAt = now;
        }
    }

    /// <summary>The secret in plain text, or null when none is stored. Fails when the key ring cannot open it.</summary>
    public async Task<string?> GetAsync(SluiceDbContext db, SecretAddress address, CancellationToken cancellationToken = default)
    {
        var record = await db.Secrets.AsNoTracking()
            .FirstOrDefaultAsync(s => s.Workspace == address.Workspace && s.Scope == address.Scope && s.Name == address.Name, cancellationToken);
        if (record is null)
        {
            return null;
        }

        if (!IsProtected(record.Value))
        {
            // Written before encryption at rest; start-up encrypts these (ProtectPlaintextAsync), this covers the gap.
            return Encoding.UTF8.GetString(record.Value);
        }

        try
        {
            return Encoding.UTF8.GetString(Protector(address).Unprotect(record.Value));
        }
        catch (CryptographicException ex)
        {
            LogUnreadable(logger, address.ToString(), options.KeyRingDirectory, ex.Message);
            throw new SluiceException(
                $"The stored credentials of {address} cannot be decrypted: the server's key ring does not hold the key they were encrypted with.",
                SluiceErrorKind.Conflict,
                "servers that share a database must share one key ring folder (--key-ring); if the key ring was lost, enter the credentials again by creating the resource anew");
        }
    }

    public static Task<int> DeleteAsync(SluiceDbContext db, SecretAddress address, CancellationToken cancellationToken = default) =>
        db.Secrets.Where(s => s.Workspace == address.Workspace && s.Scope == address.Scope && s.Name == address.Name).ExecuteDeleteAsync(cancellationToken);

    /// <summary>
    /// Encrypts secrets stored in plain text by versions before encryption at rest. Each row is replaced only if it
    /// still holds the plain value, so servers starting together do not overwrite each other.
    /// </summary>
    public async Task<int> ProtectPlaintextAsync(IDbContextFactory<SluiceDbContext> factory, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Secrets.AsNoTracking().ToListAsync(cancellationToken);
        var protectedCount = 0;
        foreach (var row in rows.Where(r => !IsProtected(r.Value)))
        {
            var address = new SecretAddress(row.Workspace, row.Scope, row.Name);
            var plain = row.Value;
            var sealedValue = Protector(address).Protect(plain);
            protectedCount += await db.Secrets
                .Where(s => s.Workspace == row.Workspace && s.Scope == row.Scope && s.Name == row.Name && s.Value == plain)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Value, sealedValue), cancellationToken);
        }

        if (protectedCount > 0)
        {
            LogProtectedPlaintext(logger, protectedCount);
        }

        return protectedCount;
    }

    /// <summary>Whether a stored value is a Data Protection payload (rather than a plain value from an older version).</summary>
    public static bool IsProtected(byte[] value) => value.AsSpan().StartsWith(ProtectedHeader);

    private IDataProtector Protector(SecretAddress address) => provider.CreateProtector(Purpose, address.Workspace, address.Scope, address.Name);

    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Encrypted {Count} secret(s) that an earlier version had stored in plain text")]
    private static partial void LogProtectedPlaintext(ILogger logger, int count);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "The secret of {Owner} cannot be decrypted with the key ring in {KeyRing}: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string owner, string keyRing, string reason);
}
