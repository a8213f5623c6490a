using Sluice.Network.Model;

namespace Sluice.Network.Tests.TestSupport;

/// <summary>Terse security rules for tests: <c>Rule.Allow("ssh", 100, dstPorts: "22")</c>.</summary>
internal static class Rule
{
    public static SecurityRule Allow(string name, int priority, SecurityRuleDirection direction = SecurityRuleDirection.Inbound, string src = "*", string dst = "*",
        string dstPorts = "*", SecurityRuleProtocol protocol = SecurityRuleProtocol.Any, string srcPorts = "*", string? description = null) =>
        Make(name, priority, direction, SecurityRuleAccess.Allow, src, dst, dstPorts, protocol, srcPorts, description);

    public static SecurityRule Deny(string name, int priority, SecurityRuleDirection direction = SecurityRuleDirection.Inbound, string src = "*", string dst = "*",
        string dstPorts = "*", SecurityRuleProtocol protocol = SecurityRuleProtocol.Any, string srcPorts = "*", string? description = null) =>
        Make(name, priority, direction, SecurityRuleAccess.Deny, src, dst, dstPorts, protocol, srcPorts, description);

    /// <summary>Lists are written comma-separated; an entry starting with "asg:" names an application security group.</summary>
    private static SecurityRule Make(string name, int priority, SecurityRuleDirection direction, SecurityRuleAccess access, string src, string dst, string dstPorts,
        SecurityRuleProtocol protocol, string srcPorts, string? description)
    {
        var (srcPrefixes, srcGroups) = Split(src);
        var (dstPrefixes, dstGroups) = Split(dst);
        return new SecurityRule
        {
            Name = name,
            Priority = priority,
            Direction = direction,
            Access = access,
            Protocol = protocol,
            SourceAddressPrefixes = srcPrefixes,
            SourceApplicationSecurityGroups = srcGroups,
            DestinationAddressPrefixes = dstPrefixes,
            DestinationApplicationSecurityGroups = dstGroups,
            SourcePortRanges = List(srcPorts),
            DestinationPortRanges = List(dstPorts),
            Description = description,
        };
    }

    private static (string[] Prefixes, string[] Groups) Split(string side)
    {
        var entries = List(side);
        return ([.. entries.Where(e => !e.StartsWith("asg:", StringComparison.Ordinal))], [.. entries.Where(e => e.StartsWith("asg:", StringComparison.Ordinal)).Select(e => e[4..])]);
    }

    private static string[] List(string text) => text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
