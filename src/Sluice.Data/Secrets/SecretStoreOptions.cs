using Microsoft.Extensions.Options;

namespace Sluice.Data.Secrets;

/// <summary>Where the keys that encrypt stored secrets live.</summary>
public sealed class SecretStoreOptions
{
    /// <summary>
    /// The key ring folder (<c>--key-ring</c>, <c>SLUICE_KEY_RING</c>, default <c>&lt;data-dir&gt;/keys</c>). It is kept
    /// out of the database on purpose: a stolen database is useless without it. Every server sharing a database must
    /// use the same key ring (a shared mounted folder); losing it loses every stored secret.
    /// </summary>
    public required string KeyRingDirectory { get; init; }

    public const string EnvironmentVariable = "SLUICE_KEY_RING";

    /// <summary>The default key ring folder of a data directory.</summary>
    public static string DefaultFor(string dataDirectory) => Path.Combine(dataDirectory, "keys");
}

/// <summary>Checks at start-up that the key ring folder can be created and written.</summary>
public sealed class SecretStoreOptionsValidator : IValidateOptions<SecretStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, SecretStoreOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.KeyRingDirectory))
        {
            return ValidateOptionsResult.Fail($"The key ring folder is empty; pass --key-ring <folder> or set {SecretStoreOptions.EnvironmentVariable}, or leave both unset for <data-dir>/keys.");
        }

        try
        {
            SecretServiceCollectionExtensions.CreateKeyRingDirectory(options.KeyRingDirectory);
            var probe = Path.Combine(options.KeyRingDirectory, $".write-test-{Environment.ProcessId}");
            File.WriteAllText(probe, string.Empty);
            File.Delete(probe);
            return ValidateOptionsResult.Success;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ValidateOptionsResult.Fail($"The key ring folder '{options.KeyRingDirectory}' cannot be written ({ex.Message}); pass --key-ring with a folder this user can write.");
        }
    }
}
