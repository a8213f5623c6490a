using Sluice.Network.Addressing;

namespace Sluice.Network.Tags;

/// <summary>
/// Where rules are evaluated, as far as addresses are concerned: the per-subnet meaning of the <c>VirtualNetwork</c>
/// and <c>Internet</c> tags. Subnets of one network with the same route table share a scope (and compiled rules).
/// </summary>
internal sealed class AddressScope
{
    public AddressScope(string key, string description, AddressSet virtualNetwork)
    {
        Key = key;
        Description = description;
        VirtualNetwork = virtualNetwork;
        Internet = WellKnownServiceTags.PublicSpace.Except(virtualNetwork);
    }

    /// <summary>A scope for a security group that is associated with nothing: only the host's virtual IP is "virtual network".</summary>
    public static AddressScope Unassociated { get; } = new("(unassociated)", "not associated with any subnet or interface", AddressSet.FromPrefix(WellKnownServiceTags.HostVirtualIp));

    public string Key { get; }

    public string Description { get; }

    public AddressSet VirtualNetwork { get; }

    public AddressSet Internet { get; }
}
