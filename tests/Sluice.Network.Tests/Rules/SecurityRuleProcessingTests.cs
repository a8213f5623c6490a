using System.Net;
using Sluice.Network.Model;
using Sluice.Network.Tests.TestSupport;
using Sluice.Network.Verification;
using static Sluice.Network.Tests.TestSupport.Net;

namespace Sluice.Network.Tests.Rules;

/// <summary>Azure's rule processing within one group: priority order, first match wins, default rules.</summary>
public sealed class SecurityRuleProcessingTests
{
    private const string Client = "203.0.113.10";

    private static CompiledNetwork Single(params SecurityRule[] rules) => Compile(b => b
        .Add(Vnet("vnet", "10.0.0.0/16", Subnet("web", "10.0.1.0/24", nsg: "nsg")))
        .Add(Nsg("nsg", rules))
        .Add(Nic("vm", "vnet", "web", "10.0.1.4")));

    [Fact]
    public void FirstMatch_StopsProcessing_EvenWhenALaterRuleWouldAllow()
    {
        var network = Single(
            Rule.Deny("deny-http", 100, dstPorts: "80", protocol: SecurityRuleProtocol.Tcp),
            Rule.Allow("allow-web", 200, dstPorts: "80,443", protocol: SecurityRuleProtocol.Tcp));

        var http = network.Receive(Client, "vm", 80);
        var https = network.Receive(Client, "vm", 443);

        Assert.Equal((SecurityRuleAccess.Deny, "deny-http", 100), (http.Access, http.DecidingRule!.RuleName, http.DecidingRule.Priority));
        Assert.Equal((SecurityRuleAccess.Allow, "allow-web"), (https.Access, https.DecidingRule!.RuleName));
    }

    [Fact]
    public void Priority_LowerNumberIsProcessedFirst_WhateverTheListOrder()
    {
        var network = Single(
            Rule.Allow("allow-all", 300),
            Rule.Deny("deny-ssh", 150, dstPorts: "22"));

        Assert.Equal("deny-ssh", network.Receive(Client, "vm", 22).DecidingRule!.RuleName);
        Assert.Equal("allow-all", network.Receive(Client, "vm", 23).DecidingRule!.RuleName);
    }

    [Fact]
    public void DefaultRules_WithNoCustomRules_AllowVnetAndLoadBalancerAndDenyTheRestInbound()
    {
        var network = Compile(b => b
            .Add(Vnet("vnet", "10.0.0.0/16", Subnet("web", "10.0.1.0/24", nsg: "nsg"), Subnet("app", "10.0.2.0/24")))
            .Add(Nsg("nsg"))
            .Add(Nic("vm", "vnet", "web", "10.0.1.4"))
            .Add(Nic("peer", "vnet", "app", "10.0.2.4")));

        Assert.Equal(("AllowVnetInBound", 65000), Decided(network.Send("peer", "10.0.1.4", 5432)));
        Assert.Equal(("DenyAllInBound", 65500), Decided(network.Receive(Client, "vm", 443)));
        Assert.True(network.Receive(Client, "vm").DecidingRule!.IsDefaultRule);
        var inbound = network.EffectiveRules("vnet", "web").Inbound.Single().Rules;
        Assert.Equal(
            [("AllowVnetInBound", 65000, SecurityRuleAccess.Allow), ("AllowAzureLoadBalancerInBound", 65001, SecurityRuleAccess.Allow), ("DenyAllInBound", 65500, SecurityRuleAccess.Deny)],
            inbound.Select(r => (r.Name, r.Priority, r.Access)));
        Assert.Equal(["168.63.129.16/32"], inbound[1].SourceAddressPrefixes.Select(p => p.ToString()));
        Assert.Equal(["0.0.0.0/0", "::/0"], inbound[2].SourceAddressPrefixes.Select(p => p.ToString()));
    }

    [Fact]
    public void HostVirtualIp_IsPartOfTheVirtualNetworkTag_SoDenyingTheTagAlsoBlocksProbes()
    {
        // Azure lists "the virtual IP address of the host" in the VirtualNetwork tag: health probes from
        // 168.63.129.16 pass AllowVnetInBound, and a custom deny of VirtualNetwork blocks them unless
        // AzureLoadBalancer is allowed first.
        var defaults = Single();
        var denyingVnet = Single(Rule.Deny("deny-vnet", 4000, src: "VirtualNetwork"));
        var allowingProbes = Single(Rule.Allow("allow-probes", 3900, src: "AzureLoadBalancer"), Rule.Deny("deny-vnet", 4000, src: "VirtualNetwork"));

        Assert.Equal(("AllowVnetInBound", 65000), Decided(defaults.Receive("168.63.129.16", "vm", 8080)));
        Assert.Equal(("deny-vnet", 4000), Decided(denyingVnet.Receive("168.63.129.16", "vm", 8080)));
        Assert.Equal(("allow-probes", 3900), Decided(allowingProbes.Receive("168.63.129.16", "vm", 8080)));
    }

    [Fact]
    public void DefaultRules_Outbound_AllowVnetAndInternet_DenyTheRest()
    {
        var network = Single();

        Assert.Equal(("AllowVnetOutBound", 65000), Decided(network.Send("vm", "10.0.9.9")));
        Assert.Equal(("AllowInternetOutBound", 65001), Decided(network.Send("vm", "20.50.1.1")));
        Assert.Equal(("DenyAllOutBound", 65500), Decided(network.Send("vm", "10.99.0.1")));
    }

    [Fact]
    public void Protocol_Any_MatchesEveryProtocol_WhileTcpMatchesOnlyTcp()
    {
        var network = Single(
            Rule.Allow("tcp-only", 100, dstPorts: "53", protocol: SecurityRuleProtocol.Tcp),
            Rule.Deny("any-protocol", 200, dstPorts: "*"));

        Assert.Equal("tcp-only", network.Receive(Client, "vm", 53, FlowProtocol.Tcp).DecidingRule!.RuleName);
        Assert.Equal("any-protocol", network.Receive(Client, "vm", 53, FlowProtocol.Udp).DecidingRule!.RuleName);
        Assert.Equal("any-protocol", network.Receive(Client, "vm", 0, FlowProtocol.Esp).DecidingRule!.RuleName);
    }

    [Fact]
    public void PortlessProtocols_MatchOnlyRulesCoveringEveryPort()
    {
        var network = Single(
            Rule.Allow("icmp-with-ports", 100, dstPorts: "80", protocol: SecurityRuleProtocol.Icmp),
            Rule.Allow("icmp-all-ports", 110, dstPorts: "0-65535", protocol: SecurityRuleProtocol.Icmp));

        var ping = network.Receive(Client, "vm", 0, FlowProtocol.Icmp);

        Assert.Equal("icmp-all-ports", ping.DecidingRule!.RuleName);
    }

    [Fact]
    public void PortRangesAndLists_MatchEachPortOfEachRange()
    {
        var network = Single(Rule.Allow("ports", 100, dstPorts: "80,1000-2000,8443", protocol: SecurityRuleProtocol.Tcp, srcPorts: "1024-65535"));

        Assert.Equal(SecurityRuleAccess.Allow, network.Receive(Client, "vm", 1000).Access);
        Assert.Equal(SecurityRuleAccess.Allow, network.Receive(Client, "vm", 2000).Access);
        Assert.Equal(SecurityRuleAccess.Allow, network.Receive(Client, "vm", 8443).Access);
        Assert.Equal(SecurityRuleAccess.Deny, network.Receive(Client, "vm", 2001).Access);
        var lowSourcePort = network.Verify(new FlowRequest { SourceAddress = IPAddress.Parse(Client), DestinationAddress = IPAddress.Parse("10.0.1.4"), SourcePort = 1023, DestinationPort = 80 });
        Assert.Equal(SecurityRuleAccess.Deny, lowSourcePort.Access);
    }

    [Fact]
    public void AddressLists_MatchAnyListedAddressOrPrefix()
    {
        var network = Single(Rule.Allow("partners", 100, src: "198.51.100.7,192.0.2.0/28"));

        Assert.Equal(SecurityRuleAccess.Allow, network.Receive("198.51.100.7", "vm").Access);
        Assert.Equal(SecurityRuleAccess.Allow, network.Receive("192.0.2.15", "vm").Access);
        Assert.Equal(SecurityRuleAccess.Deny, network.Receive("192.0.2.16", "vm").Access);
    }

    [Fact]
    public void Explanation_NamesEachStepOfTheEvaluation()
    {
        var network = Single(Rule.Deny("deny-http", 100, dstPorts: "80"));

        var verdict = network.Receive(Client, "vm", 80);

        Assert.Equal(FlowOutcome.DeniedBySecurityRule, verdict.Outcome);
        Assert.Contains(verdict.Explanation, s => s.Contains("nsg rule 'deny-http' (priority 100) is the first match and denies; processing stops", StringComparison.Ordinal));
    }

    private static (string?, int?) Decided(FlowVerdict verdict) => (verdict.DecidingRule?.RuleName, verdict.DecidingRule?.Priority);
}
