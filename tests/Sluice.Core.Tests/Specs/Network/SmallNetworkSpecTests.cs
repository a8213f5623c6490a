using Sluice.Core.Specs;
using Sluice.Core.Specs.Network;
using Sluice.Core.Tests.TestSupport;

namespace Sluice.Core.Tests.Specs.Network;

/// <summary>NAT gateways, application security groups, network interfaces and user-defined service tags.</summary>
public sealed class SmallNetworkSpecTests
{
    [Fact]
    public void NatGateway_WithAddresses_ReadsThemAndTheDefaultTimeout()
    {
        var nat = Spec.Valid<NatGatewaySpec>("type: nat_gateway\nname: nat1\npublic_ip_addresses: [203.0.113.10, 203.0.113.11]\n");

        Assert.Equal(["203.0.113.10", "203.0.113.11"], nat.PublicIpAddresses);
        Assert.Equal(4, nat.IdleTimeoutInMinutes);
    }

    [Fact]
    public void NatGateway_WithPrivateOrIpv6OrNoAddresses_IsReported()
    {
        Spec.Errors(
            Spec.Read("type: nat_gateway\nname: nat1\npublic_ip_addresses: [10.0.0.1, \"2001:db8::1\"]\nidle_timeout_in_minutes: 200\n"),
            "spec.yml:3:23: public_ip_addresses[0]: 10.0.0.1 is a private or reserved address; a public address is needed here (203.0.113.0/24 and 198.51.100.0/24 are documentation ranges for examples)",
            "spec.yml:3:33: public_ip_addresses[1]: a NAT gateway's addresses are IPv4",
            "spec.yml:4:26: idle_timeout_in_minutes: 200 is out of range; expected a value from 4 to 120");
        Spec.SingleError(Spec.Read("type: nat_gateway\nname: nat1\n"), "spec.yml:1:1: missing required key 'public_ip_addresses'; the public IPv4 addresses outbound traffic leaves from, e.g. [203.0.113.10]");
    }

    [Fact]
    public void ApplicationSecurityGroup_IsANameWithALocation()
    {
        var result = Spec.Read("type: application_security_group\nname: asg-web\nlocation: westeurope\n");

        var asg = Spec.Valid<ApplicationSecurityGroupSpec>(result);
        Assert.Equal(DocumentKind.ApplicationSecurityGroup, result.Kind);
        Assert.Equal(("asg-web", "westeurope"), (asg.Name, asg.Location));
        Assert.Equal("""{"type":"application_security_group","name":"asg-web","tags":{},"location":"westeurope"}""", Core.Serialization.SpecCodec.Encode(asg));
    }

    [Fact]
    public void NetworkResource_WithInvalidName_ReportsAzuresRule()
    {
        Spec.SingleError(
            Spec.Read("type: application_security_group\nname: -web\n"),
            "spec.yml:2:7: name: '-web' is not a valid name: a network resource name has 1 to 80 characters: letters, digits, '_', '.' and '-', starting with a letter or digit and ending with a letter, digit or '_'");
    }

    [Fact]
    public void NetworkInterface_WithEveryField_ReadsThem()
    {
        var nic = Spec.Valid<NetworkInterfaceSpec>(
            """
            type: network_interface
            name: vm1-nic
            subnet: vnet1/compute
            private_ip_address: 10.0.1.4
            public_ip_address: 203.0.113.20
            network_security_group: nsg-vm1
            application_security_groups: [asg-web, asg-db]
            enable_ip_forwarding: true
            """);

        Assert.Equal(new SubnetReference("vnet1", "compute"), nic.Subnet);
        Assert.Equal(("10.0.1.4", "203.0.113.20", "nsg-vm1", true), (nic.PrivateIpAddress, nic.PublicIpAddress, nic.NetworkSecurityGroup, nic.EnableIpForwarding));
        Assert.Equal(["asg-web", "asg-db"], nic.ApplicationSecurityGroups);
        Assert.Contains("\"subnet\":\"vnet1/compute\"", Core.Serialization.SpecCodec.Encode(nic), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("vnet1/compute")]
    [InlineData("vnet1/subnets/compute")]
    [InlineData("/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet1/subnets/compute")]
    public void NetworkInterface_SubnetForms_AllMeanTheSameSubnet(string subnet)
    {
        var nic = Spec.Valid<NetworkInterfaceSpec>($"type: network_interface\nname: nic\nsubnet: {subnet}\n");

        Assert.Equal(new SubnetReference("vnet1", "compute"), nic.Subnet);
    }

    [Fact]
    public void NetworkInterface_WithBadSubnetAddressAndDuplicateAsg_ReportsEach()
    {
        Spec.Errors(
            Spec.Read("type: network_interface\nname: nic\nsubnet: compute\nprivate_ip_address: 10.0.1\napplication_security_groups: [a, a]\n"),
            "spec.yml:3:9: subnet: 'compute' does not name a subnet; write <virtual_network>/<subnet>, e.g. vnet1/compute",
            "spec.yml:4:21: private_ip_address: '10.0.1' is not an IP address; write four numbers from 0 to 255, e.g. 10.0.0.4",
            "spec.yml:5:34: application_security_groups[1]: 'a' is listed twice");
        Spec.SingleError(Spec.Read("type: network_interface\nname: nic\n"), "spec.yml:1:1: missing required key 'subnet'; the subnet as <virtual_network>/<subnet>, e.g. vnet1/compute");
    }

    [Fact]
    public void ServiceTag_WithPrefixes_ReadsThemAsCidrs()
    {
        var tag = Spec.Valid<ServiceTagSpec>("type: service_tag\nname: OnPremLab\naddress_prefixes: [192.0.2.0/24, \"2001:DB8::/32\", 198.51.100.7]\n");

        Assert.Equal(["192.0.2.0/24", "2001:db8::/32", "198.51.100.7/32"], tag.AddressPrefixes);
        Assert.Equal("""{"type":"service_tag","name":"OnPremLab","tags":{},"address_prefixes":["192.0.2.0/24","2001:db8::/32","198.51.100.7/32"]}""", Core.Serialization.SpecCodec.Encode(tag));
    }

    [Fact]
    public void ServiceTag_NamedLikeABuiltInOrWithLocation_IsReported()
    {
        Spec.Errors(
            Spec.Read("type: service_tag\nname: internet\nlocation: westeurope\naddress_prefixes: [192.0.2.0/24, 192.0.2.0/24]\n"),
            "spec.yml:2:7: name: 'Internet' is a built-in service tag (VirtualNetwork, Internet, AzureLoadBalancer, SluiceControlPlane); choose another name",
            "spec.yml:3:1: location: service tags are not located; remove it",
            "spec.yml:4:34: address_prefixes[1]: '192.0.2.0/24' is listed twice");
    }
}
