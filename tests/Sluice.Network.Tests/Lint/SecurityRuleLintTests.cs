using Sluice.Network.Lint;
using Sluice.Network.Model;
using Sluice.Network.Tests.TestSupport;
using static Sluice.Network.Tests.TestSupport.Net;

namespace Sluice.Network.Tests.Lint;

public sealed class SecurityRuleLintTests
{
    private static LintReport Lint(params SecurityRule[] rules) => Compile(b => b
        .Add(Vnet("vnet", "10.0.0.0/16", Subnet("web", "10.0.1.0/24", nsg: "nsg")))
        .Add(Nsg("nsg", rules)))
        .Lint("nsg");

    [Fact]
    public void RuleCoveredByOneEarlierRule_IsUnreachable_AndNamesTheBlockingRule()
    {
        var report = Lint(
            Rule.Deny("deny-10-slash-8", 100, src: "10.0.0.0/8"),
            Rule.Allow("allow-ssh-from-10-1", 200, src: "10.1.0.0/16", dstPorts: "22", protocol: SecurityRuleProtocol.Tcp));

        var finding = Assert.Single(report.Findings);
        Assert.Equal((LintFindingKind.Unreachable, "allow-ssh-from-10-1", 200), (finding.Kind, finding.RuleName, finding.Priority));
        Assert.Equal(["deny-10-slash-8"], finding.BlockingRules);
        Assert.Contains("its intent is overridden", finding.Reason, StringComparison.Ordinal);
        Assert.Equal(["subnet vnet/web"], finding.Scopes);
    }

    [Fact]
    public void RuleCoveredOnlyByTheUnionOfSeveralEarlierRules_IsUnreachable()
    {
        var report = Lint(
            Rule.Deny("deny-low-ports", 100, dstPorts: "0-1023"),
            Rule.Deny("deny-high-ports", 110, dstPorts: "1024-65535", protocol: SecurityRuleProtocol.Tcp),
            Rule.Deny("deny-high-udp", 120, dstPorts: "1024-65535", protocol: SecurityRuleProtocol.Udp),
            Rule.Allow("allow-web", 200, dstPorts: "80,443,8080", protocol: SecurityRuleProtocol.Tcp),
            Rule.Allow("allow-udp-range", 210, dstPorts: "1000-2000", protocol: SecurityRuleProtocol.Udp));

        Assert.Equal(
            [("allow-web", "deny-high-ports,deny-low-ports"), ("allow-udp-range", "deny-high-udp,deny-low-ports")],
            report.Findings.Where(f => f.Kind == LintFindingKind.Unreachable).Select(f => (f.RuleName, string.Join(",", f.BlockingRules.Order(StringComparer.Ordinal)))));
    }

    [Fact]
    public void RuleWithAGapInItsCover_IsReachable()
    {
        var report = Lint(
            Rule.Deny("deny-low-ports", 100, dstPorts: "0-1023"),
            Rule.Deny("deny-high-ports", 110, dstPorts: "1025-65535"),
            Rule.Allow("allow-range", 200, dstPorts: "1000-2000", protocol: SecurityRuleProtocol.Tcp));

        Assert.DoesNotContain(report.Findings, f => f.RuleName == "allow-range");
    }

    [Fact]
    public void ShadowingAcrossAddressesAndProtocols_IsExact()
    {
        var report = Lint(
            Rule.Deny("deny-first-half", 100, src: "10.0.0.0/9", protocol: SecurityRuleProtocol.Tcp),
            Rule.Deny("deny-second-half", 110, src: "10.128.0.0/9"),
            Rule.Allow("allow-10-tcp", 200, src: "10.0.0.0/8", protocol: SecurityRuleProtocol.Tcp),
            Rule.Allow("allow-10-any", 210, src: "10.0.0.0/8"));

        Assert.Equal(["allow-10-tcp"], report.Findings.Where(f => f.Kind == LintFindingKind.Unreachable).Select(f => f.RuleName));
    }

    [Fact]
    public void SameMatchAndAccess_IsReportedAsADuplicate()
    {
        var report = Lint(
            Rule.Allow("https", 100, src: "VirtualNetwork", dstPorts: "443", protocol: SecurityRuleProtocol.Tcp),
            Rule.Allow("https-again", 200, src: "VirtualNetwork", dstPorts: "443", protocol: SecurityRuleProtocol.Tcp));

        var finding = Assert.Single(report.Findings);
        Assert.Equal((LintFindingKind.Duplicate, "https-again", "https"), (finding.Kind, finding.RuleName, finding.BlockingRules.Single()));
    }

    [Fact]
    public void IcmpRuleWithPorts_MatchesNothing()
    {
        var finding = Assert.Single(Lint(Rule.Allow("icmp-80", 100, dstPorts: "80", protocol: SecurityRuleProtocol.Icmp)).Findings);

        Assert.Equal((LintFindingKind.MatchesNothing, "icmp-80"), (finding.Kind, finding.RuleName));
    }

    [Theory]
    [InlineData("Allow-SSH", "22", SecurityRuleProtocol.Tcp, null)]
    [InlineData("Allow-SSH", "*", SecurityRuleProtocol.Tcp, "its destination ports include 0-21, 23-65535")]
    [InlineData("AllowSSHInbound", "22", SecurityRuleProtocol.Any, "it allows protocol Any (*)")]
    [InlineData("allow-https-443", "443-444", SecurityRuleProtocol.Tcp, "its destination ports include 444")]
    [InlineData("allow-dns", "53", SecurityRuleProtocol.Udp, null)]
    [InlineData("allow-web", "*", SecurityRuleProtocol.Any, null)]
    [InlineData("AllowPing", "*", SecurityRuleProtocol.Icmp, null)]
    [InlineData("AllowPing", "*", SecurityRuleProtocol.Any, "it allows protocol Any (*)")]
    public void AllowRule_BroaderThanItsName_IsReported(string name, string ports, SecurityRuleProtocol protocol, string? problem)
    {
        var report = Lint(Rule.Allow(name, 100, dstPorts: ports, protocol: protocol));

        var finding = report.Findings.SingleOrDefault(f => f.Kind == LintFindingKind.BroaderThanName);
        Assert.Equal(problem is null, finding is null);
        if (problem is not null)
        {
            Assert.Contains(problem, finding!.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Description_CountsLikeTheName()
    {
        var report = Lint(Rule.Allow("node-admin", 100, dstPorts: "*", protocol: SecurityRuleProtocol.Tcp, description: "RDP from the bastion"));

        Assert.Contains("mentions rdp (TCP/UDP 3389)", Assert.Single(report.Findings).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void GroupUsedInTwoNetworks_ListsWhereEachFindingHolds()
    {
        // In 'a' the VirtualNetwork tag is inside 10.0.0.0/8, so the tag rule is shadowed; in 'b' (192.168.0.0/16) it is not.
        var report = Compile(b => b
            .Add(Vnet("a", "10.0.0.0/16", Subnet("s", "10.0.1.0/24", nsg: "nsg")))
            .Add(Vnet("b", "192.168.0.0/16", Subnet("s", "192.168.1.0/24", nsg: "nsg")))
            .Add(Nsg("nsg", Rule.Deny("deny-10", 100, src: "10.0.0.0/8,168.63.129.16"), Rule.Allow("allow-vnet", 200, src: "VirtualNetwork"))))
            .Lint("nsg");

        var finding = Assert.Single(report.Findings);
        Assert.Equal("allow-vnet", finding.RuleName);
        Assert.Equal(["subnet a/s"], finding.Scopes);
    }

    [Fact]
    public void UnassociatedGroup_IsStillLinted()
    {
        var report = Compile(b => b.Add(Nsg("lonely", Rule.Deny("deny-all", 100), Rule.Allow("allow-https", 200, dstPorts: "443", protocol: SecurityRuleProtocol.Tcp)))).Lint("lonely");

        Assert.Equal(["allow-https"], report.Findings.Select(f => f.RuleName));
    }
}
