using System.Net;
using Sluice.Network.Model;
using Sluice.Network.Tests.TestSupport;
using Sluice.Network.Verification;
using static Sluice.Network.Tests.TestSupport.Net;

namespace Sluice.Network.Tests.Rules;

/// <summary>Security groups keep flow records: responses of allowed connections pass without rules of their own.</summary>
public sealed class StatefulReturnTrafficTests
{
    private static CompiledNetwork Network() => Compile(b => b
        .Add(Vnet("vnet", "10.0.0.0/16", Subnet("nodes", "10.0.1.0/24", nsg: "nsg")))
        .Add(Nsg(
            "nsg",
            Rule.Allow("allow-https-out", 100, SecurityRuleDirection.Outbound, dst: "Internet", dstPorts: "443", protocol: SecurityRuleProtocol.Tcp),
            Rule.Deny("deny-internet-out", 200, SecurityRuleDirection.Outbound, dst: "Internet")))
        .Add(Nic("node", "vnet", "nodes", "10.0.1.4")));

    [Fact]
    public void ResponseOfAnAllowedOutboundConnection_IsAllowedDespiteDenyAllInbound()
    {
        var network = Network();
        var response = new FlowRequest
        {
            SourceAddress = IPAddress.Parse("20.60.1.1"),
            SourcePort = 443,
            DestinationAddress = IPAddress.Parse("10.0.1.4"),
            DestinationPort = 50123,
        };

        var asNewConnection = network.Verify(response);
        var asReturnTraffic = network.Verify(response with { IsReturnTraffic = true });

        Assert.Equal(("DenyAllInBound", SecurityRuleAccess.Deny), (asNewConnection.DecidingRule!.RuleName, asNewConnection.Access));
        Assert.Equal((SecurityRuleAccess.Allow, FlowOutcome.AllowedAsReturnTraffic), (asReturnTraffic.Access, asReturnTraffic.Outcome));
        Assert.Equal("allow-https-out", asReturnTraffic.DecidingRule!.RuleName);
        Assert.StartsWith("Return traffic: security groups are stateful", asReturnTraffic.Explanation[0], StringComparison.Ordinal);
    }

    [Fact]
    public void ResponseOfAConnectionThatCouldNotBeOpened_IsNotAllowed()
    {
        var response = new FlowRequest
        {
            SourceAddress = IPAddress.Parse("20.60.1.1"),
            SourcePort = 80,
            DestinationAddress = IPAddress.Parse("10.0.1.4"),
            DestinationPort = 50123,
            IsReturnTraffic = true,
        };

        var verdict = Network().Verify(response);

        Assert.Equal((SecurityRuleAccess.Deny, FlowOutcome.NoEstablishedFlow), (verdict.Access, verdict.Outcome));
        Assert.Equal("deny-internet-out", verdict.DecidingRule!.RuleName);
    }

    [Fact]
    public void ResponseFromTheNode_ToAnInboundConnectionAllowedByRules_IsAllowed()
    {
        var network = Compile(b => b
            .Add(Vnet("vnet", "10.0.0.0/16", Subnet("nodes", "10.0.1.0/24", nsg: "nsg")))
            .Add(Nsg(
                "nsg",
                Rule.Allow("allow-ssh-in", 100, src: "198.51.100.0/24", dstPorts: "22", protocol: SecurityRuleProtocol.Tcp),
                Rule.Deny("deny-all-out", 4096, SecurityRuleDirection.Outbound)))
            .Add(Nic("node", "vnet", "nodes", "10.0.1.4")));
        var response = new FlowRequest { SourceNetworkInterface = "node", SourcePort = 22, DestinationAddress = IPAddress.Parse("198.51.100.9"), DestinationPort = 61000 };

        Assert.Equal("deny-all-out", network.Verify(response).DecidingRule!.RuleName);
        Assert.Equal(FlowOutcome.AllowedAsReturnTraffic, network.Verify(response with { IsReturnTraffic = true }).Outcome);
    }
}
