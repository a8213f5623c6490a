using System.Text.RegularExpressions;
using Sluice.Core.Naming;
using Sluice.Core.Specs.Network;
using Sluice.Core.Yaml;

namespace Sluice.Core.Specs.Readers;

internal static partial class PrivateEndpointReader
{
    public static PrivateEndpointSpec Read(MappingReader m)
    {
        NetworkFields.Type(m, PrivateEndpointSpec.TypeName);
        var subnet = NetworkFields.RequiredSubnet(m, "subnet");
        var addresses = new List<string>();
        foreach (var item in NetworkFields.OneOrMany(m, "private_ip_address", "private_ip_addresses") ?? [])
        {
            if (NetworkFields.Address(m.Context, item) is not { } address)
            {
                continue;
            }

            if (addresses.Contains(address.ToString(), StringComparer.Ordinal))
            {
                NetworkFields.Error(m.Context, item, $"'{address}' is listed twice");
            }
            else
            {
                addresses.Add(address.ToString());
            }
        }

        PrivateLinkServiceConnectionSpec? connection = null;
        if (m.Mapping("private_link_service_connection") is { } c)
        {
            connection = ReadConnection(c);
            c.Complete();
        }
        else if (!m.IsPresent("private_link_service_connection"))
        {
            m.Missing("private_link_service_connection", "what the endpoint connects to: {target: storage_account:<name>, group_id: blob}");
        }

        var dns = new List<DnsConfigSpec>();
        foreach (var d in NetworkFields.Mappings(m, "custom_dns_configs"))
        {
            var fqdn = d.RequiredString("fqdn");
            if (fqdn is not null && !HostName().IsMatch(fqdn))
            {
                d.Error("fqdn", $"'{fqdn}' is not a DNS name, e.g. mystorage.blob.core.windows.net");
                fqdn = null;
            }

            var ips = new List<string>();
            var items = NetworkFields.Scalars(d, "ip_addresses");
            if (items.Count == 0)
            {
                d.Missing("ip_addresses", "the private addresses the name resolves to");
            }

            foreach (var item in items)
            {
                if (NetworkFields.Address(m.Context, item) is { } address)
                {
                    ips.Add(address.ToString());
                }
            }

            if (fqdn is not null)
            {
                dns.Add(new DnsConfigSpec { Fqdn = fqdn.ToLowerInvariant(), IpAddresses = ips });
            }

            d.Complete();
        }

        var spec = new PrivateEndpointSpec
        {
            Name = Fields.Name(m, ResourceNames.Network),
            Description = m.String("description"),
            Tags = Fields.Tags(m),
            Location = m.String("location"),
            Subnet = subnet ?? new SubnetReference(string.Empty, string.Empty),
            PrivateIpAddresses = addresses,
            PrivateLinkServiceConnection = connection ?? new PrivateLinkServiceConnectionSpec { Target = new PrivateLinkTarget(PrivateLinkTargetKind.Workspace, string.Empty), GroupId = string.Empty },
            CustomDnsConfigs = dns,
        };
        m.Complete();
        return spec;
    }

    private static PrivateLinkServiceConnectionSpec? ReadConnection(MappingReader c)
    {
        var target = NetworkFields.Scalar(c, "target") is { } item ? Target(c.Context, item) : null;
        if (target is null && !c.IsPresent("target"))
        {
            c.Missing("target", "<kind>:<name>, where kind is workspace, storage_account, secret_store or registry");
        }

        var groupId = c.String("group_id");
        if (groupId is null && !c.IsPresent("group_id"))
        {
            c.Missing("group_id", target is null ? "the sub-resource, e.g. blob" : $"for a {EnumNames<PrivateLinkTargetKind>.ToName(target.Kind)}: {string.Join(", ", PrivateLinkTarget.GroupIds(target.Kind))}");
        }
        else if (groupId is not null && target is not null)
        {
            var allowed = PrivateLinkTarget.GroupIds(target.Kind);
            var match = allowed.FirstOrDefault(g => string.Equals(g, groupId, StringComparison.OrdinalIgnoreCase));
            if (match is null)
            {
                var owner = Enum.GetValues<PrivateLinkTargetKind>().FirstOrDefault(k => PrivateLinkTarget.GroupIds(k).Contains(groupId.ToLowerInvariant()));
                var other = PrivateLinkTarget.GroupIds(owner).Contains(groupId.ToLowerInvariant()) ? $" ('{groupId}' is a {EnumNames<PrivateLinkTargetKind>.ToName(owner)}'s)" : string.Empty;
                c.Error("group_id", $"'{groupId}' is not a sub-resource of a {EnumNames<PrivateLinkTargetKind>.ToName(target.Kind)}{other}; expected {(allowed.Count == 1 ? string.Empty : "one of: ")}{string.Join(", ", allowed)}");
                groupId = null;
            }
            else
            {
                groupId = match;
            }
        }

        var status = c.Enum<PrivateLinkConnectionStatus>("status") ?? PrivateLinkConnectionStatus.Approved;
        Fields.Tolerate(c, "a connection's name and request message do not affect how traffic flows; ignored", "name", "request_message");
        return target is null || groupId is null ? null : new PrivateLinkServiceConnectionSpec { Target = target, GroupId = groupId, Status = status };
    }

    /// <summary>Reads <c>&lt;kind&gt;:&lt;name&gt;</c>, or an ARM id of a workspace, storage account, key vault or container registry.</summary>
    public static PrivateLinkTarget? Target(Yaml.SpecContext context, Item item)
    {
        PrivateLinkTargetKind kind;
        string name;
        if (ArmIds.IsArmId(item.Text))
        {
            PrivateLinkTargetKind? fromType = ArmIds.ResourceType(item.Text)?.ToLowerInvariant() switch
            {
                "workspaces" => PrivateLinkTargetKind.Workspace,
                "storageaccounts" => PrivateLinkTargetKind.StorageAccount,
                "vaults" => PrivateLinkTargetKind.SecretStore,
                "registries" => PrivateLinkTargetKind.Registry,
                _ => null,
            };
            if (fromType is null)
            {
                NetworkFields.Error(context, item, "this ARM id is not a workspace, storage account, key vault or container registry, the resources a private endpoint can reach");
                return null;
            }

            (kind, name) = (fromType.Value, ArmIds.LastSegment(item.Text));
        }
        else
        {
            var colon = item.Text.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                NetworkFields.Error(context, item, $"'{item.Text}' does not say what kind of resource it is; write <kind>:<name>, e.g. storage_account:{item.Text}");
                return null;
            }

            if (!EnumNames<PrivateLinkTargetKind>.TryParse(item.Text[..colon], out kind))
            {
                var suggestion = DidYouMean.Suggest(item.Text[..colon], EnumNames<PrivateLinkTargetKind>.All);
                NetworkFields.Error(context, item, $"'{item.Text[..colon]}' is not a kind a private endpoint can reach; expected one of: {string.Join(", ", EnumNames<PrivateLinkTargetKind>.All)}"
                    + (suggestion is null ? string.Empty : $" (did you mean '{suggestion}'?)"));
                return null;
            }

            name = item.Text[(colon + 1)..].Trim();
        }

        var problem = kind switch
        {
            PrivateLinkTargetKind.Workspace => ResourceNames.Workspace(name),
            PrivateLinkTargetKind.StorageAccount => ResourceNames.StorageAccount(name),
            PrivateLinkTargetKind.SecretStore => ResourceNames.SecretStore(name),
            _ => ResourceNames.Registry(name),
        };
        if (problem is not null)
        {
            NetworkFields.Error(context, item, problem);
            return null;
        }

        return new PrivateLinkTarget(kind, name);
    }

    [GeneratedRegex(@"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex HostName();
}
