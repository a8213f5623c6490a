using System.Net.Sockets;
using Sluice.Core.Naming;
using Sluice.Core.Specs.Network;
using Sluice.Core.Yaml;

namespace Sluice.Core.Specs.Readers;

internal static class NatGatewayReader
{
    /// <summary>Azure's limit of public addresses on one NAT gateway.</summary>
    public const int MaxPublicIpAddresses = 16;

    public static NatGatewaySpec Read(MappingReader m)
    {
        NetworkFields.Type(m, NatGatewaySpec.TypeName);
        var addresses = new List<string>();
        var items = NetworkFields.Scalars(m, "public_ip_addresses");
        if (items.Count == 0)
        {
            m.Missing("public_ip_addresses", "the public IPv4 addresses outbound traffic leaves from, e.g. [203.0.113.10]");
        }
        else if (items.Count > MaxPublicIpAddresses)
        {
            m.Error("public_ip_addresses", $"lists {items.Count} addresses; a NAT gateway has at most {MaxPublicIpAddresses}");
        }

        foreach (var item in items)
        {
            if (NetworkFields.PublicAddress(m.Context, item) is not { } address)
            {
                continue;
            }

            if (address.AddressFamily != AddressFamily.InterNetwork)
            {
                NetworkFields.Error(m.Context, item, "a NAT gateway's addresses are IPv4");
            }
            else if (addresses.Contains(address.ToString(), StringComparer.Ordinal))
            {
                NetworkFields.Error(m.Context, item, $"'{address}' is listed twice");
            }
            else
            {
                addresses.Add(address.ToString());
            }
        }

        var spec = new NatGatewaySpec
        {
            Name = Fields.Name(m, ResourceNames.Network),
            Description = m.String("description"),
            Tags = Fields.Tags(m),
            Location = m.String("location"),
            PublicIpAddresses = addresses,
            IdleTimeoutInMinutes = m.Int32("idle_timeout_in_minutes", 4, 120) ?? 4,
        };
        m.Complete();
        return spec;
    }
}

internal static class ApplicationSecurityGroupReader
{
    public static ApplicationSecurityGroupSpec Read(MappingReader m)
    {
        NetworkFields.Type(m, ApplicationSecurityGroupSpec.TypeName);
        var spec = new ApplicationSecurityGroupSpec
        {
            Name = Fields.Name(m, ResourceNames.Network),
            Description = m.String("description"),
            Tags = Fields.Tags(m),
            Location = m.String("location"),
        };
        m.Complete();
        return spec;
    }
}

internal static class NetworkInterfaceReader
{
    public static NetworkInterfaceSpec Read(MappingReader m)
    {
        NetworkFields.Type(m, NetworkInterfaceSpec.TypeName);
        var subnet = NetworkFields.RequiredSubnet(m, "subnet");
        string? privateAddress = null;
        if (NetworkFields.Scalar(m, "private_ip_address") is { } privateItem)
        {
            privateAddress = NetworkFields.Address(m.Context, privateItem)?.ToString();
        }

        string? publicAddress = null;
        if (NetworkFields.Scalar(m, "public_ip_address") is { } publicItem)
        {
            publicAddress = NetworkFields.PublicAddress(m.Context, publicItem)?.ToString();
        }

        var spec = new NetworkInterfaceSpec
        {
            Name = Fields.Name(m, ResourceNames.Network),
            Description = m.String("description"),
            Tags = Fields.Tags(m),
            Location = m.String("location"),
            Subnet = subnet ?? new SubnetReference(string.Empty, string.Empty),
            PrivateIpAddress = privateAddress,
            PublicIpAddress = publicAddress,
            NetworkSecurityGroup = NetworkFields.NameReference(m, "network_security_group"),
            ApplicationSecurityGroups = NetworkFields.NameReferences(m, "application_security_groups"),
            EnableIpForwarding = m.Boolean("enable_ip_forwarding") ?? false,
        };
        m.Complete();
        return spec;
    }
}

internal static class ServiceTagReader
{
    public static ServiceTagSpec Read(MappingReader m)
    {
        NetworkFields.Type(m, ServiceTagSpec.TypeName);
        var name = Fields.Name(m, ResourceNames.Network);
        if (ServiceTags.FindBuiltIn(name) is { } builtIn)
        {
            m.Error("name", $"'{builtIn}' is a built-in service tag ({string.Join(", ", ServiceTags.BuiltIn)}); choose another name");
        }
        else if (name.Length > 0 && ServiceTags.CheckName(name) is not null)
        {
            m.Error("name", $"'{name}' cannot be used in a rule as a service tag; start it with a letter");
        }

        var prefixes = new List<string>();
        var items = NetworkFields.Scalars(m, "address_prefixes");
        if (items.Count == 0)
        {
            m.Missing("address_prefixes", "the CIDR blocks (or addresses) the tag stands for, e.g. [192.0.2.0/24]");
        }

        foreach (var item in items)
        {
            if (NetworkAddresses.TryParseAddressOrCidr(item.Text, out var network) is { } problem)
            {
                NetworkFields.Error(m.Context, item, problem);
            }
            else if (prefixes.Contains(network.ToString(), StringComparer.Ordinal))
            {
                NetworkFields.Error(m.Context, item, $"'{network}' is listed twice");
            }
            else
            {
                prefixes.Add(network.ToString());
            }
        }

        m.Forbid("location", "service tags are not located; remove it");
        var spec = new ServiceTagSpec
        {
            Name = name,
            Description = m.String("description"),
            Tags = Fields.Tags(m),
            AddressPrefixes = prefixes,
        };
        m.Complete();
        return spec;
    }
}
