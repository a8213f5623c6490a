using Sluice.Network.Addressing;
using Sluice.Network.Model;

namespace Sluice.Network.Validation;

/// <summary>NAT gateways: their public addresses and the one virtual network they serve.</summary>
internal static class NatGatewayValidator
{
    /// <summary>Azure's limit on public IP addresses (prefixes count by their size) per NAT gateway.</summary>
    public const int MaxPublicAddresses = 16;

    public static void Validate(ValidationContext context)
    {
        var gateways = context.Builder.NatGateways;
        for (var i = 0; i < gateways.Count; i++)
        {
            var nat = gateways[i];
            var path = ValidationContext.Item("nat_gateways", nat.Name, i);
            if (nat.PublicIpAddresses is null || nat.PublicIpAddresses.Count == 0)
            {
                context.Error($"{path}.public_ip_addresses", "a NAT gateway needs at least one public IP address or prefix");
                continue;
            }

            var addresses = 0L;
            var prefixes = context.ParsePrefixes(nat.PublicIpAddresses, $"{path}.public_ip_addresses");
            for (var p = 0; p < prefixes.Count; p++)
            {
                if (prefixes[p].Family == IpFamily.IPv6)
                {
                    context.Error($"{path}.public_ip_addresses[{p}]", "a NAT gateway cannot use IPv6 public addresses");
                }

                addresses += (long)System.Numerics.BigInteger.Min(prefixes[p].Size, int.MaxValue);
            }

            if (addresses > MaxPublicAddresses)
            {
                context.Error($"{path}.public_ip_addresses", $"{addresses} public addresses; a NAT gateway uses at most {MaxPublicAddresses}");
            }
        }

        // A NAT gateway can't span virtual networks: every subnet using it must be in one network.
        var networkOf = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var network in context.Builder.VirtualNetworks)
        {
            foreach (var subnet in network.Subnets ?? [])
            {
                if (subnet.NatGateway is { } nat && context.NatGateways.ContainsKey(nat) &&
                    !networkOf.TryAdd(nat, network.Name) && !string.Equals(networkOf[nat], network.Name, StringComparison.OrdinalIgnoreCase))
                {
                    context.Error($"virtual_networks[{network.Name}].subnets[{subnet.Name}].nat_gateway", $"NAT gateway '{nat}' already serves virtual network '{networkOf[nat]}'; a NAT gateway cannot span virtual networks");
                }
            }
        }
    }
}
