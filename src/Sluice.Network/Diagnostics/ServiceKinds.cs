using Sluice.Network.Model;

namespace Sluice.Network.Diagnostics;

/// <summary>What differs between the services a workspace uses: their group, resource kind, sub-resources and service endpoint.</summary>
internal sealed record ServiceKind(
    DiagnosisGroup Group,
    string ResourceKind,
    string Noun,
    IReadOnlyList<PrivateEndpointGroupId> GroupIds,
    PrivateEndpointGroupId AccessGroup,
    IReadOnlyList<string> ServiceEndpoints,
    string FirewallCode,
    string SluiceOutboundKey)
{
    public static ServiceKind Storage { get; } = new(
        DiagnosisGroup.StorageAccount, "storage_account", "storage account",
        [PrivateEndpointGroupId.Blob, PrivateEndpointGroupId.File, PrivateEndpointGroupId.Queue, PrivateEndpointGroupId.Table, PrivateEndpointGroupId.Dfs],
        PrivateEndpointGroupId.Blob, ["Microsoft.Storage", "Microsoft.Storage.Global"], DiagnosisCodes.StorageFirewallExcludesCompute, "StorageAccount");

    public static ServiceKind SecretStore { get; } = new(
        DiagnosisGroup.KeyVault, "secret_store", "secret store",
        [PrivateEndpointGroupId.Vault], PrivateEndpointGroupId.Vault, ["Microsoft.KeyVault"], DiagnosisCodes.SecretStoreFirewallExcludesCompute, "SecretStore");

    public static ServiceKind Registry { get; } = new(
        DiagnosisGroup.ContainerRegistry, "registry", "container registry",
        [PrivateEndpointGroupId.Registry], PrivateEndpointGroupId.Registry, ["Microsoft.ContainerRegistry"], DiagnosisCodes.RegistryFirewallExcludesCompute, "Registry");

    public string Resource(string name) => $"{ResourceKind}:{name}";

    public static string GroupIdText(PrivateEndpointGroupId group) => group.ToString().ToLowerInvariant();
}

/// <summary>A service the workspace uses, with its facts (null when the input does not describe it).</summary>
internal sealed record ServiceInUse(ServiceKind Kind, string Name, ServiceResourceFacts? Facts, IReadOnlyList<string> Datastores)
{
    public string Resource => Kind.Resource(Name);

    /// <summary>
    /// The services to check: the workspace's storage account, secret store and registry; with Sluice's rules also the
    /// storage accounts its datastores live in.
    /// </summary>
    public static IReadOnlyList<ServiceInUse> Of(DiagnosisContext context)
    {
        List<ServiceInUse> services = [];
        var workspace = context.Workspace;
        var datastores = context.Rules == DiagnosisRules.Sluice ? context.Input.Sluice.Datastores : [];
        var accounts = new List<string>();
        if (workspace.StorageAccount is { } storage)
        {
            accounts.Add(storage);
        }

        accounts.AddRange(datastores.Select(d => d.StorageAccount).OfType<string>());
        foreach (var account in accounts.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var users = datastores.Where(d => string.Equals(d.StorageAccount, account, StringComparison.OrdinalIgnoreCase)).Select(d => d.Name).ToList();
            services.Add(new ServiceInUse(ServiceKind.Storage, account, context.FindStorageAccount(account), users));
        }

        if (workspace.SecretStore is { } secretStore)
        {
            services.Add(new ServiceInUse(ServiceKind.SecretStore, secretStore, context.FindSecretStore(secretStore), []));
        }

        if (workspace.Registry is { } registry)
        {
            services.Add(new ServiceInUse(ServiceKind.Registry, registry, context.FindRegistry(registry), []));
        }

        return services;
    }
}
