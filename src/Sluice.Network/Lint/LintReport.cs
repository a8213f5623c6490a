using Sluice.Network.Model;

namespace Sluice.Network.Lint;

public enum LintFindingKind
{
    /// <summary>Earlier rules match every flow the rule matches, so it never decides anything.</summary>
    Unreachable,

    /// <summary>An earlier rule matches exactly the same flows with the same access.</summary>
    Duplicate,

    /// <summary>The rule matches no flow at all (e.g. ICMP with specific ports, or a tag with no addresses here).</summary>
    MatchesNothing,

    /// <summary>The rule allows ports or protocols its name or description does not mention.</summary>
    BroaderThanName,
}

/// <summary>
/// One problem with one rule, reported like Batfish's filter line reachability: the rule, the earlier rules that
/// block it, and why.
/// </summary>
public sealed record LintFinding
{
    public required LintFindingKind Kind { get; init; }

    public required SecurityRuleDirection Direction { get; init; }

    public required string RuleName { get; init; }

    public required int Priority { get; init; }

    /// <summary>For unreachable and duplicate rules: the earlier rules that take the rule's traffic, by name.</summary>
    public IReadOnlyList<string> BlockingRules { get; init; } = [];

    public required string Reason { get; init; }

    /// <summary>Where the finding holds: the subnets and interfaces the group is associated with (tags differ by place).</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];

    public override string ToString() =>
        $"{Direction} rule '{RuleName}' ({Priority}): {Kind}: {Reason}{(BlockingRules.Count == 0 ? string.Empty : $" [blocking: {string.Join(", ", BlockingRules)}]")}";
}

public sealed record LintReport(string NetworkSecurityGroup, IReadOnlyList<LintFinding> Findings);
