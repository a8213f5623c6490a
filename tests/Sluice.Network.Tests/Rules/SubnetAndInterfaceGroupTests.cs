using Sluice.Network.Model;
using Sluice.Network.Tests.TestSupport;
using Sluice.Network.Verification;
using static Sluice.Network.Tests.TestSupport.Net;

namespace Sluice.Network.Tests.Rules;

/// <summary>
/// Azure's "how network security groups filter traffic" example: NSG1 on Subnet1 (VM1 and VM2), NSG2 on the
/// interfaces of VM1 and VM3 (in Subnet2, which has no group), and VM4 in Subnet3 with no group anywhere; internet
/// traffic on TCP port 80 in both directions.
/// </summary>
public sealed class SubnetAndInterfaceGroupTests
{
    private const string Internet = "203.0.113.10";

    private static CompiledNetwork Example(SecurityRule[] nsg1, SecurityRule[] nsg2) => Compile(b => b
        .Add(Vnet("vnet", "10.0.0.0/16", Subnet("Subnet1", "10.0.1.0/24", nsg: "NSG1"), Subnet("Subnet2", "10.0.2.0/24"), Subnet("Subnet3", "10.0.3.0/24")))
        .Add(Nsg("NSG1", nsg1))
        .Add(Nsg("NSG2", nsg2))
        .Add(Nic("VM1", "vnet", "Subnet1", "10.0.1.4", nsg: "NSG2"))
        .Add(Nic("VM2", "vnet", "Subnet1", "10.0.1.5"))
        .Add(Nic("VM3", "vnet", "Subnet2", "10.0.2.4", nsg: "NSG2"))
        .Add(Nic("VM4", "vnet", "Subnet3", "10.0.3.4")));

    private static SecurityRule[] AllowHttpIn => [Rule.Allow("Allow-HTTP-Inbound", 100, src: "Internet", dstPorts: "80", protocol: SecurityRuleProtocol.Tcp)];

    private static SecurityRule[] DenyHttpOut => [Rule.Deny("Deny-HTTP-Outbound", 100, SecurityRuleDirection.Outbound, dst: "Internet", dstPorts: "80", protocol: SecurityRuleProtocol.Tcp)];

    // Inbound: the subnet's group first, then the interface's; both must allow.
    [Theory]
    [InlineData(false, false, "VM1", "Deny", "NSG1/DenyAllInBound")]
    [InlineData(true, false, "VM1", "Deny", "NSG2/DenyAllInBound")]
    [InlineData(false, true, "VM1", "Deny", "NSG1/DenyAllInBound")]
    [InlineData(true, true, "VM1", "Allow", "NSG2/Allow-HTTP-Inbound")]
    [InlineData(false, true, "VM2", "Deny", "NSG1/DenyAllInBound")]
    [InlineData(true, false, "VM2", "Allow", "NSG1/Allow-HTTP-Inbound")]
    [InlineData(true, false, "VM3", "Deny", "NSG2/DenyAllInBound")]
    [InlineData(false, true, "VM3", "Allow", "NSG2/Allow-HTTP-Inbound")]
    [InlineData(false, false, "VM4", "Allow", null)]
    public void Inbound_SubnetGroupThenInterfaceGroup_BothMustAllow(bool nsg1Allows, bool nsg2Allows, string vm, string access, string? decidedBy)
    {
        var network = Example(nsg1Allows ? AllowHttpIn : [], nsg2Allows ? AllowHttpIn : []);

        var verdict = network.Receive(Internet, vm, 80);

        Assert.Equal(access, verdict.Access.ToString());
        Assert.Equal(decidedBy, verdict.DecidingRule is null ? null : $"{verdict.DecidingRule.NetworkSecurityGroup}/{verdict.DecidingRule.RuleName}");
    }

    [Fact]
    public void Inbound_DenyAtTheSubnet_IsNeverEvaluatedByTheInterfaceGroup()
    {
        var network = Example([], AllowHttpIn);

        var verdict = network.Receive(Internet, "VM1", 80);

        Assert.Equal([SecurityLevel.Subnet], verdict.SecurityDecisions.Select(d => d.Level));
    }

    // Outbound: the interface's group first, then the subnet's; a deny at either is final.
    [Theory]
    [InlineData(false, false, "VM1", "Allow", "NSG1/AllowInternetOutBound")]
    [InlineData(false, true, "VM1", "Deny", "NSG2/Deny-HTTP-Outbound")]
    [InlineData(true, false, "VM1", "Deny", "NSG1/Deny-HTTP-Outbound")]
    [InlineData(true, false, "VM2", "Deny", "NSG1/Deny-HTTP-Outbound")]
    [InlineData(false, true, "VM2", "Allow", "NSG1/AllowInternetOutBound")]
    [InlineData(false, true, "VM3", "Deny", "NSG2/Deny-HTTP-Outbound")]
    [InlineData(false, false, "VM3", "Allow", "NSG2/AllowInternetOutBound")]
    [InlineData(true, true, "VM4", "Allow", null)]
    public void Outbound_InterfaceGroupThenSubnetGroup_EitherCanDeny(bool nsg1Denies, bool nsg2Denies, string vm, string access, string? decidedBy)
    {
        var network = Example(nsg1Denies ? DenyHttpOut : [], nsg2Denies ? DenyHttpOut : []);

        var verdict = network.Send(vm, Internet, 80);

        Assert.Equal(access, verdict.Access.ToString());
        Assert.Equal(decidedBy, verdict.DecidingRule is null ? null : $"{verdict.DecidingRule.NetworkSecurityGroup}/{verdict.DecidingRule.RuleName}");
    }

    [Fact]
    public void Outbound_DenyAtTheInterface_IsNeverEvaluatedByTheSubnetGroup()
    {
        var network = Example([], DenyHttpOut);

        var verdict = network.Send("VM1", Internet, 80);

        Assert.Equal([SecurityLevel.NetworkInterface], verdict.SecurityDecisions.Select(d => d.Level));
    }

    [Fact]
    public void IntraSubnetTraffic_IsFilteredLikeAnyOther()
    {
        var network = Example(
            [Rule.Deny("Deny-Vnet-In", 100, src: "VirtualNetwork", dst: "VirtualNetwork")],
            []);

        var verdict = network.Send("VM2", "10.0.1.4", 22);

        Assert.Equal((SecurityRuleAccess.Deny, "Deny-Vnet-In"), (verdict.Access, verdict.DecidingRule!.RuleName));
        Assert.Equal(
            [(SecurityRuleDirection.Outbound, SecurityLevel.NetworkInterface), (SecurityRuleDirection.Outbound, SecurityLevel.Subnet), (SecurityRuleDirection.Inbound, SecurityLevel.Subnet)],
            verdict.SecurityDecisions.Select(d => (d.Direction, d.Level)));
    }

    [Fact]
    public void VerifyIpFlow_ReportsTheDecidingRuleAtOneInterface()
    {
        var network = Example(AllowHttpIn, []);

        var verdict = network.VerifyIpFlow("VM1", SecurityRuleDirection.Inbound, FlowProtocol.Tcp, System.Net.IPAddress.Parse(Internet), localPort: 80, remotePort: 50000);

        Assert.Equal(SecurityRuleAccess.Deny, verdict.Access);
        Assert.Equal(("NSG2", "DenyAllInBound"), (verdict.DecidingRule!.NetworkSecurityGroup, verdict.DecidingRule.RuleName));
    }
}
