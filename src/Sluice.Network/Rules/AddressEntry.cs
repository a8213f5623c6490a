using Sluice.Network.Addressing;

namespace Sluice.Network.Rules;

internal enum AddressEntryKind
{
    Any,
    Prefix,
    Tag,
    Invalid,
}

/// <summary>
/// Tells apart the three things a rule's address entry can be: <c>*</c>, an address or CIDR prefix, or a tag name.
/// Text that starts with a digit or contains a colon is read as an address (so a typo such as <c>10.0.0/16</c> gets
/// an address error, not "unknown tag"); anything else is a tag name. <c>0.0.0.0/0</c> is an IPv4 prefix and does not
/// match IPv6 traffic; <c>*</c> matches both families.
/// </summary>
internal static class AddressEntry
{
    public static AddressEntryKind Classify(string? text, out IpPrefix prefix, out string? error)
    {
        prefix = default;
        error = null;
        var span = text.AsSpan().Trim();
        if (span.IsEmpty)
        {
            error = "an empty address entry; use '*', an address, a CIDR prefix or a service tag";
            return AddressEntryKind.Invalid;
        }

        if (span is "*")
        {
            return AddressEntryKind.Any;
        }

        if (char.IsAsciiDigit(span[0]) || span.Contains(':'))
        {
            return IpPrefix.TryParse(span, out prefix, out error) ? AddressEntryKind.Prefix : AddressEntryKind.Invalid;
        }

        return AddressEntryKind.Tag;
    }
}
