using System.Net;
using System.Numerics;
using Sluice.Network.Addressing;

namespace Sluice.Network.Tests.Addressing;

public sealed class IpPrefixTests
{
    [Theory]
    [InlineData("10.0.0.0/16", "10.0.0.0/16")]
    [InlineData("10.0.0.5", "10.0.0.5/32")]
    [InlineData("fd00::/48", "fd00::/48")]
    [InlineData("fd00::1", "fd00::1/128")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    [InlineData(" 192.168.1.0/24 ", "192.168.1.0/24")]
    public void Parse_WellFormedText_RoundTrips(string text, string expected) =>
        Assert.Equal(expected, IpPrefix.Parse(text).ToString());

    [Theory]
    [InlineData("10.0.0.1/24", "the bits after /24 must be zero (did you mean 10.0.0.0/24?)")]
    [InlineData("10.0.0.0/33", "lengths are 0 to 32")]
    [InlineData("fd00::/129", "lengths are 0 to 128")]
    [InlineData("10.0.0/16", "is not an IPv4 or IPv6 address prefix")]
    [InlineData("10", "is not an IPv4 or IPv6 address prefix")]
    [InlineData("banana", "is not an IPv4 or IPv6 address prefix")]
    [InlineData("10.0.0.0/", "invalid prefix length")]
    [InlineData("10.0.0.0/-1", "invalid prefix length")]
    [InlineData("fe80::1%eth0", "has a zone id")]
    [InlineData("", "an address prefix is required")]
    public void TryParse_MalformedText_ExplainsTheProblem(string text, string expected)
    {
        Assert.False(IpPrefix.TryParse(text, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Contains_AddressesAndPrefixes_RespectsBoundsAndFamily()
    {
        var prefix = IpPrefix.Parse("10.0.0.0/16");

        Assert.True(prefix.Contains(IPAddress.Parse("10.0.0.0")));
        Assert.True(prefix.Contains(IPAddress.Parse("10.0.255.255")));
        Assert.False(prefix.Contains(IPAddress.Parse("10.1.0.0")));
        Assert.True(prefix.Contains(IPAddress.Parse("::ffff:10.0.1.1")));
        Assert.False(IpPrefix.AnyIPv6.Contains(IPAddress.Parse("10.0.0.1")));
        Assert.True(prefix.Contains(IpPrefix.Parse("10.0.4.0/24")));
        Assert.False(IpPrefix.Parse("10.0.4.0/24").Contains(prefix));
        Assert.True(IpPrefix.Parse("fd00::/48").Contains(IPAddress.Parse("fd00:0:0:ffff::1")));
    }

    [Fact]
    public void Overlaps_NestedAndDisjointPrefixes_TellsThemApart()
    {
        Assert.True(IpPrefix.Parse("10.0.0.0/8").Overlaps(IpPrefix.Parse("10.20.0.0/16")));
        Assert.True(IpPrefix.Parse("10.20.0.0/16").Overlaps(IpPrefix.Parse("10.0.0.0/8")));
        Assert.False(IpPrefix.Parse("10.0.0.0/16").Overlaps(IpPrefix.Parse("10.1.0.0/16")));
        Assert.False(IpPrefix.Parse("0.0.0.0/0").Overlaps(IpPrefix.Parse("::/0")));
    }

    [Fact]
    public void Size_CountsAddressesUpToTheWholeIPv6Space()
    {
        Assert.Equal(new BigInteger(65536), IpPrefix.Parse("10.0.0.0/16").Size);
        Assert.Equal(BigInteger.One, IpPrefix.Parse("10.0.0.5").Size);
        Assert.Equal(BigInteger.Pow(2, 128), IpPrefix.AnyIPv6.Size);
    }

    [Fact]
    public void Containing_AnAddress_ClearsHostBits() =>
        Assert.Equal(IpPrefix.Parse("10.1.2.0/24"), IpPrefix.Containing(IPAddress.Parse("10.1.2.77"), 24));

    [Fact]
    public void PortRange_ParsesStarsPortsAndRanges_AndExplainsMistakes()
    {
        Assert.Equal(PortRange.All, PortRange.Parse("*"));
        Assert.Equal(new PortRange(80, 80), PortRange.Parse("80"));
        Assert.Equal(new PortRange(1000, 2000), PortRange.Parse("1000-2000"));
        Assert.False(PortRange.TryParse("2000-1000", out _, out var reversed));
        Assert.Contains("write the lower port first", reversed, StringComparison.Ordinal);
        Assert.False(PortRange.TryParse("70000", out _, out var tooHigh));
        Assert.Contains("0 to 65535", tooHigh, StringComparison.Ordinal);
    }
}
