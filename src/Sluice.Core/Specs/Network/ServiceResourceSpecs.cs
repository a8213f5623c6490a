namespace Sluice.Core.Specs.Network;

/// <summary>
/// The network face of a storage account (<c>az storage account</c>): whether it answers publicly, on which address,
/// and its firewall. Sluice's datastores hold the data; this resource says how it is reached.
/// </summary>
public sealed record StorageAccountSpec : NetworkResourceSpec
{
    public const string TypeName = "storage_account";


    public PublicNetworkAccess PublicNetworkAccess { get; init; } = PublicNetworkAccess.Enabled;

    /// <summary>The public IP its endpoints resolve to from the internet, for modelling; null when not modelled.</summary>
    public string? PublicAddress { get; init; }

    public NetworkRuleSetSpec NetworkRuleSet { get; init; } = new();
}

/// <summary>Sluice's secret store, Azure Key Vault's counterpart (<c>az keyvault</c>).</summary>
public sealed record SecretStoreSpec : NetworkResourceSpec
{
    public const string TypeName = "secret_store";


    public PublicNetworkAccess PublicNetworkAccess { get; init; } = PublicNetworkAccess.Enabled;

    public string? PublicAddress { get; init; }

    /// <summary>The firewall (Key Vault's <c>networkAcls</c>); <c>bypass</c> is <c>AzureServices</c> or <c>None</c>.</summary>
    public NetworkRuleSetSpec NetworkAcls { get; init; } = new();
}

/// <summary>A container registry (<c>az acr</c>).</summary>
public sealed record RegistrySpec : NetworkResourceSpec
{
    public const string TypeName = "registry";


    public PublicNetworkAccess PublicNetworkAccess { get; init; } = PublicNetworkAccess.Enabled;

    public string? PublicAddress { get; init; }

    /// <summary>Whether pushed images are quarantined until scanned (Azure's quarantine policy).</summary>
    public bool Quarantine { get; init; }

    /// <summary>The firewall: <c>default_action</c>, <c>ip_rules</c> and <c>bypass</c> (registries have no virtual network rules).</summary>
    public NetworkRuleSetSpec NetworkRuleSet { get; init; } = new();
}

/// <summary>A service's firewall: what happens to traffic no rule allows, trusted services, and allowed public ranges and subnets.</summary>
public sealed record NetworkRuleSetSpec
{
    public NetworkRuleAction DefaultAction { get; init; } = NetworkRuleAction.Allow;

    /// <summary>Traffic that passes regardless of the rules; <c>[AzureServices]</c> by default, <c>[None]</c> for none.</summary>
    public IReadOnlyList<NetworkRuleBypass> Bypass { get; init; } = [NetworkRuleBypass.AzureServices];

    /// <summary>Public IPv4 addresses and CIDRs allowed in (canonical).</summary>
    public IReadOnlyList<string> IpRules { get; init; } = [];

    /// <summary>Subnets allowed in (through a service endpoint on the subnet).</summary>
    public IReadOnlyList<SubnetReference> VirtualNetworkRules { get; init; } = [];
}

/// <summary>A user-defined service tag: a name for address prefixes that security rules and routes can use.</summary>
public sealed record ServiceTagSpec : NetworkResourceSpec
{
    public const string TypeName = "service_tag";


    /// <summary>Canonical CIDRs (IPv4 and IPv6).</summary>
    public IReadOnlyList<string> AddressPrefixes { get; init; } = [];
}
