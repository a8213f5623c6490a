using System.Text.RegularExpressions;

namespace Sluice.Core.Naming;

/// <summary>
/// Naming rules, following Azure ML's so names move between the two unchanged. Each check returns null when the name
/// is fine, or a sentence saying what is wrong and what is allowed.
/// </summary>
public static partial class ResourceNames
{
    public static string? Workspace(string name) =>
        Check(name, WorkspacePattern(), "a workspace name has 3 to 33 characters: letters, digits, '-' and '_', starting with a letter or digit");

    /// <summary>Endpoint names become part of a URL and a DNS-like identity, hence Azure's strict rule.</summary>
    public static string? Endpoint(string name) =>
        Check(name, EndpointPattern(), "an endpoint name has 3 to 32 characters: letters, digits and '-', starting with a letter and not ending with '-'");

    public static string? Deployment(string name) =>
        Check(name, EndpointPattern(), "a deployment name has 3 to 32 characters: letters, digits and '-', starting with a letter and not ending with '-'");

    public static string? Compute(string name) =>
        Check(name, ComputePattern(), "a compute name has 2 to 32 characters: letters, digits and '-', starting with a letter and not ending with '-'");

    public static string? Datastore(string name) =>
        Check(name, DatastorePattern(), "a datastore name has 1 to 255 characters: letters, digits and '_'");

    /// <summary>Models, data assets, environments and components.</summary>
    public static string? Asset(string name) =>
        Check(name, AssetPattern(), "an asset name has 1 to 255 characters: letters, digits, '-', '_' and '.', starting with a letter or digit");

    public static string? Version(string version) =>
        Check(version, VersionPattern(), "a version has 1 to 30 characters: letters, digits, '-', '_' and '.', starting with a letter or digit");

    public static string? Job(string name) =>
        Check(name, JobPattern(), "a job name has 1 to 255 characters: letters, digits, '-' and '_', starting with a letter or digit");

    /// <summary>
    /// Virtual networks, subnets, security groups and their rules, route tables, NAT gateways, interfaces, private
    /// endpoints and service tags: Azure's rule for network resource names.
    /// </summary>
    public static string? Network(string name) =>
        Check(name, NetworkPattern(), "a network resource name has 1 to 80 characters: letters, digits, '_', '.' and '-', starting with a letter or digit and ending with a letter, digit or '_'");

    /// <summary>Storage account names become DNS labels (<c>&lt;name&gt;.blob.core.windows.net</c>), hence Azure's strict rule.</summary>
    public static string? StorageAccount(string name) =>
        Check(name, StorageAccountPattern(), "a storage account name has 3 to 24 characters: lowercase letters and digits only");

    /// <summary>Blob container names are part of every blob's URL, hence Azure's rule.</summary>
    public static string? BlobContainer(string name) =>
        Check(name, BlobContainerPattern(), "a blob container name has 3 to 63 characters: lowercase letters, digits and '-', starting and ending with a letter or digit, without '--'");

    /// <summary>Key Vault's rule, since the name becomes <c>&lt;name&gt;.vault.azure.net</c>.</summary>
    public static string? SecretStore(string name) =>
        Check(name, SecretStorePattern(), "a secret store name has 3 to 24 characters: letters, digits and '-', starting with a letter, ending with a letter or digit, without '--'");

    /// <summary>Container registry names become <c>&lt;name&gt;.azurecr.io</c>.</summary>
    public static string? Registry(string name) =>
        Check(name, RegistryPattern(), "a registry name has 5 to 50 characters: letters and digits only");

    private static string? Check(string name, Regex pattern, string rule) =>
        pattern.IsMatch(name) ? null : $"'{name}' is not a valid name: {rule}";

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_\-]{2,32}$", RegexOptions.CultureInvariant)]
    private static partial Regex WorkspacePattern();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9\-]{1,30}[A-Za-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex EndpointPattern();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9\-]{0,30}[A-Za-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex ComputePattern();

    [GeneratedRegex(@"^[A-Za-z0-9_]{1,255}$", RegexOptions.CultureInvariant)]
    private static partial Regex DatastorePattern();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,254}$", RegexOptions.CultureInvariant)]
    private static partial Regex AssetPattern();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,29}$", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPattern();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_\-]{0,254}$", RegexOptions.CultureInvariant)]
    private static partial Regex JobPattern();

    [GeneratedRegex(@"^[A-Za-z0-9]([A-Za-z0-9_.\-]{0,78}[A-Za-z0-9_])?$", RegexOptions.CultureInvariant)]
    private static partial Regex NetworkPattern();

    [GeneratedRegex(@"^[a-z0-9]{3,24}$", RegexOptions.CultureInvariant)]
    private static partial Regex StorageAccountPattern();

    [GeneratedRegex(@"^(?=.{3,63}$)(?!.*--)[a-z0-9]([a-z0-9\-]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex BlobContainerPattern();

    [GeneratedRegex(@"^(?=.{3,24}$)(?!.*--)[A-Za-z][A-Za-z0-9\-]*[A-Za-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex SecretStorePattern();

    [GeneratedRegex(@"^[A-Za-z0-9]{5,50}$", RegexOptions.CultureInvariant)]
    private static partial Regex RegistryPattern();
}
