using Sluice.Network.Addressing;

namespace Sluice.Network.Tests.Addressing;

public sealed class AddressSetTests
{
    [Fact]
    public void FromPrefixes_AdjacentAndNestedPrefixes_MergeIntoTheFewestPrefixes()
    {
        var set = AddressSet.FromPrefixes([IpPrefix.Parse("10.0.0.0/25"), IpPrefix.Parse("10.0.0.128/25"), IpPrefix.Parse("10.0.0.7"), IpPrefix.Parse("fd00::/64")]);

        Assert.Equal(["10.0.0.0/24", "fd00::/64"], set.ToPrefixes().Select(p => p.ToString()));
    }

    [Fact]
    public void Except_CarvesAHoleOutOfARange()
    {
        var set = AddressSet.FromPrefix(IpPrefix.Parse("10.0.0.0/24")).Except(AddressSet.FromPrefix(IpPrefix.Parse("10.0.0.64/26")));

        Assert.Equal(["10.0.0.0/26", "10.0.0.128/25"], set.ToPrefixes().Select(p => p.ToString()));
    }

    [Fact]
    public void All_CoversBothFamiliesCompletely() =>
        Assert.Equal(["0.0.0.0/0", "::/0"], AddressSet.All.ToPrefixes().Select(p => p.ToString()));
}
