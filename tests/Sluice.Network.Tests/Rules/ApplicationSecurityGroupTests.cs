using Sluice.Network.Model;
using Sluice.Network.Tests.TestSupport;
using Sluice.Network.Verification;
using static Sluice.Network.Tests.TestSupport.Net;

namespace Sluice.Network.Tests.Rules;

/// <summary>
/// Azure's application security group example: NIC1 and NIC2 in AsgWeb, NIC3 in AsgLogic, NIC4 in AsgDb, NSG1 on
/// both subnets with Allow-HTTP-Inbound-Internet (100), Allow-Database-BusinessLogic (110) and Deny-Database-All (120).
/// </summary>
public sealed class ApplicationSecurityGroupTests
{
    private const string Internet = "203.0.113.10";

    private static CompiledNetwork Example() => Compile(b => b
        .Add(Vnet("vnet", "10.0.0.0/16", Subnet("front", "10.0.1.0/24", nsg: "NSG1"), Subnet("back", "10.0.2.0/24", nsg: "NSG1")))
        .Add(Nsg(
            "NSG1",
            Rule.Allow("Allow-HTTP-Inbound-Internet", 100, src: "Internet", dst: "asg:AsgWeb", dstPorts: "80", protocol: SecurityRuleProtocol.Tcp),
            Rule.Deny("Deny-Database-All", 120, src: "*", dst: "asg:AsgDb", dstPorts: "1433"),
            Rule.Allow("Allow-Database-BusinessLogic", 110, src: "asg:AsgLogic", dst: "asg:AsgDb", dstPorts: "1433", protocol: SecurityRuleProtocol.Tcp)))
        .Add(new ApplicationSecurityGroup { Name = "AsgWeb" })
        .Add(new ApplicationSecurityGroup { Name = "AsgLogic" })
        .Add(new ApplicationSecurityGroup { Name = "AsgDb" })
        .Add(Nic("NIC1", "vnet", "front", "10.0.1.4", null, "AsgWeb"))
        .Add(Nic("NIC2", "vnet", "front", "10.0.1.5", null, "AsgWeb"))
        .Add(Nic("NIC3", "vnet", "back", "10.0.2.4", null, "AsgLogic"))
        .Add(Nic("NIC4", "vnet", "back", "10.0.2.5", null, "AsgDb")));

    [Theory]
    [InlineData("NIC1", "Allow", "Allow-HTTP-Inbound-Internet")]
    [InlineData("NIC2", "Allow", "Allow-HTTP-Inbound-Internet")]
    [InlineData("NIC3", "Deny", "DenyAllInBound")]
    [InlineData("NIC4", "Deny", "DenyAllInBound")]
    public void HttpFromTheInternet_ReachesOnlyAsgWebMembers(string nic, string access, string rule)
    {
        var verdict = Example().Receive(Internet, nic, 80);

        Assert.Equal((access, rule), (verdict.Access.ToString(), verdict.DecidingRule!.RuleName));
    }

    [Fact]
    public void Database_FromBusinessLogic_IsAllowedBeforeTheDenyAll()
    {
        var verdict = Example().Send("NIC3", "10.0.2.5", 1433);

        Assert.Equal((SecurityRuleAccess.Allow, "Allow-Database-BusinessLogic", 110), (verdict.Access, verdict.DecidingRule!.RuleName, verdict.DecidingRule.Priority));
        Assert.Equal(FlowOutcome.Delivered, verdict.Outcome);
        Assert.Equal("NIC4", verdict.DestinationResource);
    }

    [Fact]
    public void Database_FromWebServers_IsDeniedDespiteAllowVnetInBound()
    {
        var verdict = Example().Send("NIC1", "10.0.2.5", 1433);

        Assert.Equal((SecurityRuleAccess.Deny, "Deny-Database-All"), (verdict.Access, verdict.DecidingRule!.RuleName));
    }

    [Fact]
    public void OtherTrafficInsideTheNetwork_FallsToAllowVnetInBound()
    {
        Assert.Equal("AllowVnetInBound", Example().Send("NIC1", "10.0.2.4", 8080).DecidingRule!.RuleName);
        Assert.Equal("AllowVnetInBound", Example().Send("NIC2", "10.0.2.5", 5432).DecidingRule!.RuleName);
    }

    [Fact]
    public void EffectiveRules_ExpandGroupsToMemberAddresses()
    {
        var rules = Example().EffectiveRules("NIC4").Inbound[0].Rules;

        var allow = rules.Single(r => r.Name == "Allow-Database-BusinessLogic");
        Assert.Equal(["10.0.2.4/32"], allow.SourceAddressPrefixes.Select(p => p.ToString()));
        Assert.Equal(["10.0.2.5/32"], allow.DestinationAddressPrefixes.Select(p => p.ToString()));
        Assert.Equal(["asg:AsgLogic"], allow.SourceExpandedFrom);
        Assert.Equal(["Allow-HTTP-Inbound-Internet", "Allow-Database-BusinessLogic", "Deny-Database-All"], rules.Take(3).Select(r => r.Name));
    }
}
