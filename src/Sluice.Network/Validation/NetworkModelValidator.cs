using Sluice.Network.Model;

namespace Sluice.Network.Validation;

/// <summary>Runs every validator over a builder's resources; each appends its problems and none stops the others.</summary>
internal static class NetworkModelValidator
{
    public static IReadOnlyList<NetworkModelError> Validate(NetworkModelBuilder builder)
    {
        var context = new ValidationContext(builder);
        context.CheckNames(builder.VirtualNetworks, v => v.Name, "virtual_networks", "virtual network", context.VirtualNetworks);
        context.CheckNames(builder.NetworkSecurityGroups, n => n.Name, "network_security_groups", "network security group", context.SecurityGroups);
        context.CheckNames(builder.RouteTables, r => r.Name, "route_tables", "route table", context.RouteTables);
        context.CheckNames(builder.NatGateways, n => n.Name, "nat_gateways", "NAT gateway", context.NatGateways);
        context.CheckNames(builder.ApplicationSecurityGroups, a => a.Name, "application_security_groups", "application security group");
        foreach (var group in builder.ApplicationSecurityGroups)
        {
            if (!string.IsNullOrWhiteSpace(group.Name))
            {
                context.ApplicationSecurityGroups.Add(group.Name);
            }
        }

        context.CheckNames(builder.NetworkInterfaces, n => n.Name, "network_interfaces", "network interface");
        context.CheckNames(builder.PrivateEndpoints, p => p.Name, "private_endpoints", "private endpoint");

        VirtualNetworkValidator.Validate(context);
        InterfaceValidator.Validate(context);
        SecurityGroupValidator.Validate(context);
        RouteTableValidator.Validate(context);
        NatGatewayValidator.Validate(context);
        return context.Errors;
    }
}
