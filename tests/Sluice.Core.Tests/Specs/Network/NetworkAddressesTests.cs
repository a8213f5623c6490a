using Sluice.Core.Specs;
using Sluice.Core.Specs.Network;
using Sluice.Core.Tests.TestSupport;
using Sluice.Core.Yaml;

namespace Sluice.Core.Tests.Specs.Network;

public sealed class NetworkAddressesTests
{
    [Theory]
    [InlineData("10.0.0.4", null)]
    [InlineData("2001:db8::1", null)]
    [InlineData("10.1", "'10.1' is not an IP address; write four numbers from 0 to 255, e.g. 10.0.0.4")]
    [InlineData("010.0.0.1", "'010.0.0.1' is not an IP address; write four numbers from 0 to 255, e.g. 10.0.0.4")]
    [InlineData("10.0.0.256", "'10.0.0.256' is not an IP address; write four numbers from 0 to 255, e.g. 10.0.0.4")]
    [InlineData("fe80::1%eth0", "'fe80::1%eth0' is not an IPv6 address")]
    public void TryParseAddress_IsStrict(string text, string? expected)
    {
        Assert.Equal(expected, NetworkAddresses.TryParseAddress(text, out _));
    }

    [Fact]
    public void TryParseCidr_CanonicalizesIpv6AndOffersTheMaskedBlock()
    {
        Assert.Null(NetworkAddresses.TryParseCidr("FD00:0DB8:0000::/48", out var v6));
        Assert.Equal("fd00:db8::/48", v6.ToString());
        Assert.Equal("'10.0.1.7/24' has bits set after the first 24; did you mean 10.0.1.0/24?", NetworkAddresses.TryParseCidr("10.0.1.7/24", out _));
        Assert.Null(NetworkAddresses.TryParseCidr("10.0.1.7/24", out var masked, maskHostBits: true));
        Assert.Equal("10.0.1.0/24", masked.ToString());
    }

    [Theory]
    [InlineData("*", AddressPrefixForm.Any, "*")]
    [InlineData("10.0.0.4", AddressPrefixForm.Address, "10.0.0.4")]
    [InlineData("10.0.0.0/8", AddressPrefixForm.Cidr, "10.0.0.0/8")]
    [InlineData("Storage.WestEurope", AddressPrefixForm.ServiceTag, "Storage.WestEurope")]
    public void Classify_TellsTheForm(string text, AddressPrefixForm form, string canonical)
    {
        Assert.Null(NetworkAddresses.Classify(text, out var actualForm, out var actualCanonical));
        Assert.Equal((form, canonical), (actualForm, actualCanonical));
    }

    [Fact]
    public void ReservedAddresses_AreAzuresFirstFourAndLast()
    {
        var subnet = System.Net.IPNetwork.Parse("10.0.1.0/24");

        Assert.Equal(
            [true, true, true, true, false, false, true],
            new[] { "10.0.1.0", "10.0.1.1", "10.0.1.2", "10.0.1.3", "10.0.1.4", "10.0.1.254", "10.0.1.255" }.Select(a => NetworkAddresses.IsReservedInSubnet(System.Net.IPAddress.Parse(a), subnet)));
    }

    [Theory]
    [InlineData("virtual_network", DocumentKind.VirtualNetwork)]
    [InlineData("Network_Security_Group", DocumentKind.NetworkSecurityGroup)]
    [InlineData("route_table", DocumentKind.RouteTable)]
    [InlineData("nat_gateway", DocumentKind.NatGateway)]
    [InlineData("application_security_group", DocumentKind.ApplicationSecurityGroup)]
    [InlineData("network_interface", DocumentKind.NetworkInterface)]
    [InlineData("private_endpoint", DocumentKind.PrivateEndpoint)]
    [InlineData("storage_account", DocumentKind.StorageAccount)]
    [InlineData("secret_store", DocumentKind.SecretStore)]
    [InlineData("registry", DocumentKind.Registry)]
    [InlineData("service_tag", DocumentKind.ServiceTag)]
    public void Type_TellsTheNetworkKind(string type, DocumentKind kind)
    {
        Assert.Equal(kind, Spec.Read($"type: {type}\nname: x\n").Kind);
    }

    [Fact]
    public void KeysOfOneKind_TellTheKindWithoutAType()
    {
        Assert.Equal(DocumentKind.VirtualNetwork, Spec.Read("name: v\naddress_space: [10.0.0.0/16]\n").Kind);
        Assert.Equal(DocumentKind.NetworkSecurityGroup, Spec.Read("name: n\nsecurity_rules: []\n").Kind);
        Assert.Equal(DocumentKind.RouteTable, Spec.Read("name: r\nroutes: []\n").Kind);
    }

    [Fact]
    public void EnumNames_UseAzureSpellingsWhereDeclared()
    {
        Assert.Equal("*", EnumNames<SecurityRuleProtocol>.ToName(SecurityRuleProtocol.Any));
        Assert.True(EnumNames<SecurityRuleProtocol>.TryParse("*", out var any) && any == SecurityRuleProtocol.Any);
        Assert.True(EnumNames<NextHopType>.TryParse("virtual_appliance", out var hop) && hop == NextHopType.VirtualAppliance);
        Assert.Equal("VirtualAppliance", EnumNames<NextHopType>.ToName(NextHopType.VirtualAppliance));
        Assert.Equal("storage_account", EnumNames<PrivateLinkTargetKind>.ToName(PrivateLinkTargetKind.StorageAccount));
    }
}
