using Sluice.Core.Naming;
using Sluice.Core.Yaml;

namespace Sluice.Core.Specs.Readers;

internal static class ComputeReader
{
    public static ComputeSpec Read(MappingReader m)
    {
        var type = m.Enum<ComputeType>("type");
        if (type is null && !m.IsPresent("type"))
        {
            m.Missing("type", "Sluice's compute clusters are 'type: amlcompute'");
        }
        else if (type is not null and not ComputeType.Amlcompute and not ComputeType.Kubernetes)
        {
            m.Error("type", $"compute of type '{EnumNames<ComputeType>.ToName(type.Value)}' is not supported; batch deployments run on compute clusters: use 'type: amlcompute'");
        }

        // Kubernetes compute is modelled (for network diagnosis), not run: its network profile is what diagnose checks.
        KubernetesNetworkSpec? kubernetes = null;
        if (m.Mapping("kubernetes_network") is { } k)
        {
            if (type is not ComputeType.Kubernetes)
            {
                m.Error("kubernetes_network", "applies only to 'type: kubernetes' compute; remove it or change the type");
            }

            kubernetes = new KubernetesNetworkSpec
            {
                ServiceCidr = Cidr(k, "service_cidr"),
                DnsServiceIp = Address(k, "dns_service_ip"),
                DockerBridgeCidr = Cidr(k, "docker_bridge_cidr", bridgeAddress: true),
            };
            k.Complete();
        }

        var min = m.Int32("min_instances", 0, 1000) ?? 0;
        var max = m.Int32("max_instances", 1, 1000) ?? Math.Max(1, min);
        if (min > max)
        {
            m.Error("min_instances", $"{min} is more than max_instances ({max}); a cluster cannot keep more nodes than it may ever have");
        }

        ComputeNetworkSettings? network = null;
        if (m.Mapping("network_settings") is { } n)
        {
            network = NetworkSettings(n);
            n.Complete();
        }

        var spec = new ComputeSpec
        {
            Name = Fields.Name(m, ResourceNames.Compute),
            Description = m.String("description"),
            Tags = Fields.Tags(m),
            Type = type ?? ComputeType.Amlcompute,
            Size = m.String("size"),
            MinInstances = min,
            MaxInstances = max,
            IdleTimeBeforeScaleDown = m.Int32("idle_time_before_scale_down", 0, 7 * 24 * 3600) ?? 120,
            Tier = m.Enum<ComputeTier>("tier") ?? ComputeTier.Dedicated,
            Location = m.String("location"),
            NetworkSettings = network,
            EnableNodePublicIp = m.Boolean("enable_node_public_ip") ?? true,
            Provisioner = m.Enum<Provisioner>("provisioner") ?? Provisioner.Local,
            KubernetesNetwork = kubernetes,
        };
        Fields.Tolerate(m, "node login settings do not apply to Sluice nodes; ignored", "ssh_public_access_enabled", "admin_username", "admin_password", "ssh_key_value", "identity", "resource_id");
        m.Complete();
        return spec;
    }

    /// <summary>A CIDR; with <paramref name="bridgeAddress"/>, AKS's form for a bridge (its own address and the prefix length, 172.17.0.1/16) is read as the network.</summary>
    private static string? Cidr(MappingReader m, string key, bool bridgeAddress = false)
    {
        var text = m.String(key);
        if (text is null)
        {
            return null;
        }

        if (Network.NetworkAddresses.TryParseCidr(text, out var network, maskHostBits: bridgeAddress) is { } problem)
        {
            m.Error(key, problem);
            return null;
        }

        return network.ToString();
    }

    private static string? Address(MappingReader m, string key)
    {
        var text = m.String(key);
        if (text is not null && Network.NetworkAddresses.TryParseAddress(text, out _) is { } problem)
        {
            m.Error(key, problem);
            return null;
        }

        return text;
    }

    /// <summary>
    /// Azure's <c>network_settings</c>: <c>vnet_name</c> and <c>subnet</c>, where the subnet may also be written as
    /// <c>&lt;vnet&gt;/subnets/&lt;subnet&gt;</c> or an ARM id; kept as the two plain names.
    /// </summary>
    private static ComputeNetworkSettings? NetworkSettings(MappingReader n)
    {
        var vnet = n.String("vnet_name");
        var subnet = n.String("subnet");
        if (vnet is not null && ResourceNames.Network(Network.ArmIds.LastSegment(vnet)) is { } badVnet)
        {
            n.Error("vnet_name", badVnet);
            return null;
        }

        vnet = vnet is null ? null : Network.ArmIds.LastSegment(vnet);
        if (subnet is null)
        {
            if (!n.IsPresent("subnet"))
            {
                n.Missing("subnet", "the subnet the nodes join, in the virtual network vnet_name");
            }

            return null;
        }

        if (subnet.Contains('/', StringComparison.Ordinal))
        {
            if (!Network.SubnetReference.TryParse(subnet, out var reference, out var problem))
            {
                n.Error("subnet", problem);
                return null;
            }

            if (vnet is not null && !string.Equals(vnet, reference!.VirtualNetwork, StringComparison.Ordinal))
            {
                n.Error("subnet", $"names virtual network '{reference.VirtualNetwork}', but vnet_name says '{vnet}'");
                return null;
            }

            return new ComputeNetworkSettings { VnetName = reference!.VirtualNetwork, Subnet = reference.Subnet };
        }

        if (vnet is null)
        {
            n.Error("subnet", "name the virtual network too: set vnet_name, or give the subnet as <vnet>/subnets/<subnet>");
            return null;
        }

        if (ResourceNames.Network(subnet) is { } badSubnet)
        {
            n.Error("subnet", badSubnet);
            return null;
        }

        return new ComputeNetworkSettings { VnetName = vnet, Subnet = subnet };
    }
}
