using System.Net;
using Sluice.Network.Model;
using Sluice.Network.Tests.TestSupport;
using Sluice.Network.Verification;
using static Sluice.Network.Tests.TestSupport.Net;

namespace Sluice.Network.Tests.Verification;

public sealed class EffectiveRulesAndRequestTests
{
    private static CompiledNetwork Network() => Compile(b => b
        .Add(Vnet("a", "10.0.0.0/16", Subnet("web", "10.0.1.0/24", nsg: "subnet-nsg")))
        .Add(Vnet("b", "10.0.0.0/16", Subnet("web", "10.0.1.0/24")))
        .Add(Nsg("subnet-nsg", Rule.Allow("https", 100, dstPorts: "443", protocol: SecurityRuleProtocol.Tcp)))
        .Add(Nsg("nic-nsg", Rule.Deny("no-smtp-out", 100, SecurityRuleDirection.Outbound, dstPorts: "25")))
        .Add(Nic("vm-a", "a", "web", "10.0.1.4", nsg: "nic-nsg"))
        .Add(Nic("vm-b", "b", "web", "10.0.1.4")));

    [Fact]
    public void EffectiveRules_OfAnInterface_ListLevelsInEvaluationOrder()
    {
        var rules = Network().EffectiveRules("vm-a");

        Assert.Equal([(SecurityLevel.Subnet, "subnet-nsg"), (SecurityLevel.NetworkInterface, "nic-nsg")], rules.Inbound.Select(l => (l.Level, l.NetworkSecurityGroup)));
        Assert.Equal([(SecurityLevel.NetworkInterface, "nic-nsg"), (SecurityLevel.Subnet, "subnet-nsg")], rules.Outbound.Select(l => (l.Level, l.NetworkSecurityGroup)));
        Assert.Equal(["no-smtp-out", "AllowVnetOutBound", "AllowInternetOutBound", "DenyAllOutBound"], rules.Outbound[0].Rules.Select(r => r.Name));
        Assert.Equal([new Sluice.Network.Addressing.PortRange(25, 25)], rules.Outbound[0].Rules[0].DestinationPortRanges);
    }

    [Fact]
    public void EffectiveRules_OfAnInterfaceWithoutGroups_ShowEmptyLevels()
    {
        var rules = Network().EffectiveRules("vm-b");

        Assert.All(rules.Inbound.Concat(rules.Outbound), level => Assert.Equal((null, 0), (level.NetworkSecurityGroup, level.Rules.Count)));
    }

    [Fact]
    public void Request_FromAnAddressTwoInterfacesShare_AsksForTheInterfaceName()
    {
        var request = new FlowRequest { SourceAddress = IPAddress.Parse("10.0.1.4"), DestinationAddress = IPAddress.Parse("8.8.8.8"), DestinationPort = 53 };

        var error = Assert.Throws<NetworkException>(() => Network().Verify(request));

        Assert.Contains("name the source interface", error.Message, StringComparison.Ordinal);
        Assert.Equal(FlowOutcome.LeftNetwork, Network().Verify(request with { SourceNetworkInterface = "vm-b", SourceAddress = null }).Outcome);
    }

    [Fact]
    public void Request_WithUnknownNamesOrMismatchedFamilies_IsRejected()
    {
        var network = Network();

        Assert.Throws<NetworkException>(() => network.Send("nope", "8.8.8.8"));
        Assert.Throws<NetworkException>(() => network.Send("vm-a", "2001:db8::1"));
        Assert.Throws<ArgumentOutOfRangeException>(() => network.Send("vm-a", "8.8.8.8", port: 70000));
        Assert.Throws<NetworkException>(() => network.EffectiveRoutes("a", "nope"));
        Assert.Throws<NetworkException>(() => network.Lint("nope"));
    }

    [Fact]
    public void Verdict_OfAnOutboundDeny_StillReportsTheRoute()
    {
        var verdict = Network().Send("vm-a", "52.1.1.1", 25);

        Assert.Equal((SecurityRuleAccess.Deny, "no-smtp-out", SecurityLevel.NetworkInterface), (verdict.Access, verdict.DecidingRule!.RuleName, verdict.DecidingRule.Level));
        Assert.Equal(NextHopType.Internet, verdict.Route!.NextHopType);
    }
}
