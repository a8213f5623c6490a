using System.Net.Sockets;
using Sluice.Core.Naming;
using Sluice.Core.Specs.Network;
using Sluice.Core.Yaml;

namespace Sluice.Core.Specs.Readers;

/// <summary>Storage accounts, secret stores and registries: the services a network reaches, with their public access and firewall.</summary>
internal static class ServiceResourceReaders
{
    private static readonly NetworkRuleBypass[] AllBypasses = Enum.GetValues<NetworkRuleBypass>();
    private static readonly NetworkRuleBypass[] TrustedOnly = [NetworkRuleBypass.None, NetworkRuleBypass.AzureServices];

    public static StorageAccountSpec ReadStorageAccount(MappingReader m)
    {
        NetworkFields.Type(m, StorageAccountSpec.TypeName);
        var spec = new StorageAccountSpec
        {
            Name = Fields.Name(m, ResourceNames.StorageAccount),
            Description = m.String("description"),
            Tags = Fields.Tags(m),
            Location = m.String("location"),
            PublicNetworkAccess = m.Enum<PublicNetworkAccess>("public_network_access") ?? PublicNetworkAccess.Enabled,
            PublicAddress = PublicAddress(m),
            NetworkRuleSet = RuleSet(m, "network_rule_set", AllBypasses, virtualNetworkRules: true),
        };
        Fields.Tolerate(m, "the account's SKU and kind do not affect how it is reached; ignored", "sku", "kind", "access_tier", "enable_hierarchical_namespace");
        m.Complete();
        return spec;
    }

    public static SecretStoreSpec ReadSecretStore(MappingReader m)
    {
        NetworkFields.Type(m, SecretStoreSpec.TypeName);
        var spec = new SecretStoreSpec
        {
            Name = Fields.Name(m, ResourceNames.SecretStore),
            Description = m.String("description"),
            Tags = Fields.Tags(m),
            Location = m.String("location"),
            PublicNetworkAccess = m.Enum<PublicNetworkAccess>("public_network_access") ?? PublicNetworkAccess.Enabled,
            PublicAddress = PublicAddress(m),
            NetworkAcls = RuleSet(m, "network_acls", TrustedOnly, virtualNetworkRules: true),
        };
        Fields.Tolerate(m, "the vault's SKU and access settings do not affect how it is reached; ignored", "sku", "enable_rbac_authorization", "enable_soft_delete", "enable_purge_protection");
        m.Complete();
        return spec;
    }

    public static RegistrySpec ReadRegistry(MappingReader m)
    {
        NetworkFields.Type(m, RegistrySpec.TypeName);
        var spec = new RegistrySpec
        {
            Name = Fields.Name(m, ResourceNames.Registry),
            Description = m.String("description"),
            Tags = Fields.Tags(m),
            Location = m.String("location"),
            PublicNetworkAccess = m.Enum<PublicNetworkAccess>("public_network_access") ?? PublicNetworkAccess.Enabled,
            PublicAddress = PublicAddress(m),
            Quarantine = m.Boolean("quarantine") ?? false,
            NetworkRuleSet = RuleSet(m, "network_rule_set", TrustedOnly, virtualNetworkRules: false),
        };
        Fields.Tolerate(m, "the registry's SKU and admin user do not affect how it is reached; ignored", "sku", "admin_user_enabled");
        m.Complete();
        return spec;
    }

    private static string? PublicAddress(MappingReader m) =>
        NetworkFields.Scalar(m, "public_address") is { } item ? NetworkFields.PublicAddress(m.Context, item)?.ToString() : null;

    private static NetworkRuleSetSpec RuleSet(MappingReader m, string key, NetworkRuleBypass[] bypasses, bool virtualNetworkRules)
    {
        if (m.Mapping(key) is not { } r)
        {
            return new NetworkRuleSetSpec();
        }

        var spec = new NetworkRuleSetSpec
        {
            DefaultAction = r.Enum<NetworkRuleAction>("default_action") ?? NetworkRuleAction.Allow,
            Bypass = Bypass(r, bypasses),
            IpRules = IpRules(r),
            VirtualNetworkRules = virtualNetworkRules ? VirtualNetworkRules(r) : [],
        };
        if (!virtualNetworkRules && NetworkFields.Scalars(r, "virtual_network_rules").Count > 0)
        {
            r.Context.Error(r.LocateKey("virtual_network_rules"), $"{r.KeyPath("virtual_network_rules")}: registries have no virtual network rules; reach them from a subnet through a private endpoint", r.KeyPath("virtual_network_rules"));
        }

        r.Complete();
        return spec;
    }

    /// <summary>A list of values, or Azure's comma-separated form (<c>"Logging, Metrics"</c>).</summary>
    private static List<NetworkRuleBypass> Bypass(MappingReader r, NetworkRuleBypass[] allowed)
    {
        if (!r.IsPresent("bypass"))
        {
            r.Ignore("bypass");
            return [NetworkRuleBypass.AzureServices];
        }

        var names = string.Join(", ", allowed.Select(EnumNames<NetworkRuleBypass>.ToName));
        var values = new List<NetworkRuleBypass>();
        var items = NetworkFields.Scalars(r, "bypass")
            .SelectMany(i => i.Text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(t => i with { Text = t }))
            .ToList();
        foreach (var item in items)
        {
            if (!EnumNames<NetworkRuleBypass>.TryParse(item.Text, out var value) || !allowed.Contains(value))
            {
                var suggestion = DidYouMean.Suggest(item.Text, allowed.Select(EnumNames<NetworkRuleBypass>.ToName));
                NetworkFields.Error(r.Context, item, $"'{item.Text}' is not allowed; expected one of: {names}" + (suggestion is null ? string.Empty : $" (did you mean '{suggestion}'?)"));
            }
            else if (values.Contains(value))
            {
                NetworkFields.Error(r.Context, item, $"'{EnumNames<NetworkRuleBypass>.ToName(value)}' is listed twice");
            }
            else
            {
                values.Add(value);
            }
        }

        if (values.Contains(NetworkRuleBypass.None) && values.Count > 1)
        {
            r.Error("bypass", "None cannot be combined with other values");
        }

        return values.Count == 0 ? [NetworkRuleBypass.None] : values;
    }

    private static List<string> IpRules(MappingReader r)
    {
        var rules = new List<string>();
        foreach (var item in NetworkFields.Scalars(r, "ip_rules"))
        {
            if (NetworkAddresses.TryParseAddressOrCidr(item.Text, out var network) is { } problem)
            {
                NetworkFields.Error(r.Context, item, problem);
                continue;
            }

            var single = !item.Text.Contains('/', StringComparison.Ordinal);
            var text = single ? network.BaseAddress.ToString() : network.ToString();
            if (network.BaseAddress.AddressFamily != AddressFamily.InterNetwork)
            {
                NetworkFields.Error(r.Context, item, "IP rules take public IPv4 addresses and ranges only, as in Azure");
            }
            else if (NetworkAddresses.IsNonPublic(network.BaseAddress))
            {
                NetworkFields.Error(r.Context, item, $"{text} is a private range; IP rules admit public addresses only (allow a subnet with virtual_network_rules, or use a private endpoint)");
            }
            else if (!single && network.PrefixLength > 30)
            {
                NetworkFields.Error(r.Context, item, $"Azure does not accept /{network.PrefixLength} ranges in IP rules; list the addresses one by one");
            }
            else if (rules.Contains(text, StringComparer.Ordinal))
            {
                NetworkFields.Error(r.Context, item, $"'{text}' is listed twice");
            }
            else
            {
                rules.Add(text);
            }
        }

        return rules;
    }

    private static List<SubnetReference> VirtualNetworkRules(MappingReader r)
    {
        var subnets = new List<SubnetReference>();
        foreach (var item in NetworkFields.Scalars(r, "virtual_network_rules"))
        {
            if (NetworkFields.Subnet(r.Context, item) is not { } subnet)
            {
                continue;
            }

            if (subnets.Contains(subnet))
            {
                NetworkFields.Error(r.Context, item, $"'{subnet}' is listed twice");
            }
            else
            {
                subnets.Add(subnet);
            }
        }

        return subnets;
    }
}
