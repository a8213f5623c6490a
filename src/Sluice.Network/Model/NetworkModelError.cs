namespace Sluice.Network.Model;

/// <summary>
/// One problem in a network description: the path of the offending value, written as the YAML/REST layer names it
/// (<c>network_security_groups[nsg-a].security_rules[deny-all].priority</c>), and what is wrong with it.
/// </summary>
public sealed record NetworkModelError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}
