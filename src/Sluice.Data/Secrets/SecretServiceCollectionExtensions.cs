using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace Sluice.Data.Secrets;

public static class SecretServiceCollectionExtensions
{
    /// <summary>
    /// The secret store and its Data Protection key ring, persisted as files in <see cref="SecretStoreOptions.KeyRingDirectory"/>.
    /// The application name is fixed so that servers installed in different folders still share keys.
    /// </summary>
    public static IServiceCollection AddSluiceSecrets(this IServiceCollection services, SecretStoreOptions options)
    {
        CreateKeyRingDirectory(options.KeyRingDirectory);
        services.AddSingleton(options);
        services.AddDataProtection()
            .SetApplicationName(SecretStore.ApplicationName)
            .PersistKeysToFileSystem(new DirectoryInfo(options.KeyRingDirectory));
        services.AddSingleton<SecretStore>();
        return services;
    }

    /// <summary>Creates the key ring folder readable by this user only (the keys in it are not encrypted themselves).</summary>
    internal static void CreateKeyRingDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
