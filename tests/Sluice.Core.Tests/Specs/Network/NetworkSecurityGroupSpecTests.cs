using Sluice.Core.Specs.Network;
using Sluice.Core.Tests.TestSupport;

namespace Sluice.Core.Tests.Specs.Network;

public sealed class NetworkSecurityGroupSpecTests
{
    [Fact]
    public void Nsg_WithRules_ReadsThemInCanonicalForm()
    {
        var nsg = Spec.Valid<NetworkSecurityGroupSpec>(
            """
            type: network_security_group
            name: nsg-compute
            location: westeurope
            security_rules:
              - name: allow-node-management
                priority: 100
                direction: inbound
                access: ALLOW
                protocol: tcp
                source_address_prefix: SluiceControlPlane
                source_port_range: "*"
                destination_address_prefix: virtualnetwork
                destination_port_range: "29876-29877"
                description: control plane to nodes
              - name: web
                priority: 110
                direction: Inbound
                access: Allow
                protocol: "*"
                source_address_prefixes: [10.0.0.0/24, 10.0.1.4]
                destination_application_security_groups: [asg-web]
                destination_port_ranges: ["80", "443", " 1000 - 2000 "]
              - name: deny-out
                priority: 100
                direction: Outbound
                access: Deny
                protocol: Icmp
                source_address_prefix: "*"
                destination_address_prefix: Internet
                destination_port_range: "*"
            """);

        var first = nsg.SecurityRules[0];
        Assert.Equal((100, SecurityRuleDirection.Inbound, SecurityRuleAccess.Allow, SecurityRuleProtocol.Tcp), (first.Priority, first.Direction, first.Access, first.Protocol));
        Assert.Equal(["SluiceControlPlane"], first.SourceAddressPrefixes);
        Assert.Equal(["*"], first.SourcePortRanges);
        Assert.Equal(["VirtualNetwork"], first.DestinationAddressPrefixes);
        Assert.Equal(["29876-29877"], first.DestinationPortRanges);
        Assert.Equal("control plane to nodes", first.Description);
        var web = nsg.SecurityRules[1];
        Assert.Equal(SecurityRuleProtocol.Any, web.Protocol);
        Assert.Equal(["10.0.0.0/24", "10.0.1.4"], web.SourceAddressPrefixes);
        Assert.Equal(["*"], web.SourcePortRanges);
        Assert.Empty(web.DestinationAddressPrefixes);
        Assert.Equal(["asg-web"], web.DestinationApplicationSecurityGroups);
        Assert.Equal(["80", "443", "1000-2000"], web.DestinationPortRanges);
        Assert.Contains("\"protocol\":\"*\"", Core.Serialization.SpecCodec.Encode(nsg), StringComparison.Ordinal);
        Assert.Contains("\"direction\":\"Outbound\",\"access\":\"Deny\",\"protocol\":\"Icmp\"", Core.Serialization.SpecCodec.Encode(nsg), StringComparison.Ordinal);
    }

    [Fact]
    public void Rule_WithoutRequiredKeys_AsksForEach()
    {
        var result = Spec.Read("type: network_security_group\nname: nsg\nsecurity_rules:\n  - name: r\n");

        Spec.Errors(
            result,
            "spec.yml:4:5: missing required key 'security_rules[0].priority'; a number from 100 to 4096, unique per direction; lower numbers are evaluated first",
            "spec.yml:4:5: missing required key 'security_rules[0].direction'; Inbound or Outbound",
            "spec.yml:4:5: missing required key 'security_rules[0].access'; Allow or Deny",
            "spec.yml:4:5: missing required key 'security_rules[0].protocol'; Tcp, Udp, Icmp, Esp, Ah or * (any)",
            "spec.yml:4:5: missing required key 'security_rules[0].source_address_prefix'; or source_address_prefixes, or source_application_security_groups; '*' means any address",
            "spec.yml:4:5: missing required key 'security_rules[0].destination_address_prefix'; or destination_address_prefixes, or destination_application_security_groups; '*' means any address",
            "spec.yml:4:5: missing required key 'security_rules[0].destination_port_range'; a port (443), a range (1000-2000) or '*' for any; or destination_port_ranges");
    }

    [Fact]
    public void Rules_WithDuplicatePriorityInOneDirection_AreReported()
    {
        var result = Spec.Read(
            """
            type: network_security_group
            name: nsg
            security_rules:
              - {name: a, priority: 200, direction: Inbound, access: Allow, protocol: Tcp, source_address_prefix: "*", destination_address_prefix: "*", destination_port_range: "22"}
              - {name: b, priority: 200, direction: Outbound, access: Allow, protocol: Tcp, source_address_prefix: "*", destination_address_prefix: "*", destination_port_range: "22"}
              - {name: c, priority: 200, direction: inbound, access: Deny, protocol: Tcp, source_address_prefix: "*", destination_address_prefix: "*", destination_port_range: "22"}
            """);

        Spec.SingleError(result, "spec.yml:6:25: security_rules[2].priority: 200 is already used by Inbound rule 'a' (security_rules[0]); priorities are unique per direction");
    }

    [Fact]
    public void Rule_WithOutOfRangeValuesAndBadPorts_ReportsEach()
    {
        var result = Spec.Read(
            """
            type: network_security_group
            name: nsg
            security_rules:
              - name: r
                priority: 4097
                direction: Sideways
                access: Permit
                protocol: Http
                source_address_prefix: "*"
                source_port_ranges: ["70000", "2000-1000", "8o"]
                destination_address_prefix: 10.0.0.0/24
                destination_port_range: "*"
                description: "ddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"
            """);

        Spec.Errors(
            result,
            "spec.yml:5:15: security_rules[0].priority: 4097 is out of range; expected a value from 100 to 4096",
            "spec.yml:6:16: security_rules[0].direction: 'Sideways' is not allowed; expected one of: Inbound, Outbound",
            "spec.yml:7:13: security_rules[0].access: 'Permit' is not allowed; expected one of: Allow, Deny",
            "spec.yml:8:15: security_rules[0].protocol: 'Http' is not allowed; expected one of: Tcp, Udp, Icmp, Esp, Ah, * (did you mean 'Tcp'?)",
            "spec.yml:10:26: security_rules[0].source_port_ranges[0]: '70000' is not a port range; write a port from 0 to 65535 (443), a range (1000-2000) or '*'",
            "spec.yml:10:35: security_rules[0].source_port_ranges[1]: '2000-1000' is not a range: 2000 is above 1000; write the lower port first (1000-2000)",
            "spec.yml:10:48: security_rules[0].source_port_ranges[2]: '8o' is not a port range; write a port from 0 to 65535 (443), a range (1000-2000) or '*'",
            "spec.yml:13:18: security_rules[0].description: has 143 characters; Azure allows at most 140");
    }

    [Fact]
    public void Rule_WithPrefixAndAsgOnOneSide_IsReported()
    {
        var result = Spec.Read(
            """
            type: network_security_group
            name: nsg
            security_rules:
              - name: r
                priority: 100
                direction: Inbound
                access: Allow
                protocol: Tcp
                source_address_prefix: 10.0.0.0/24
                source_address_prefixes: [10.0.1.0/24]
                destination_address_prefix: "*"
                destination_application_security_groups: [asg-web]
                destination_port_range: "443"
            """);

        Spec.Errors(
            result,
            "spec.yml:10:5: security_rules[0].source_address_prefixes: give source_address_prefix or source_address_prefixes, not both",
            "spec.yml:12:5: security_rules[0].destination_application_security_groups: a rule names its destination by address prefixes or by application security groups, not both");
    }

    [Fact]
    public void Rule_WithTagAmongPrefixesIcmpPortsAndMixedFamilies_IsReported()
    {
        var result = Spec.Read(
            """
            type: network_security_group
            name: nsg
            security_rules:
              - name: r
                priority: 100
                direction: Inbound
                access: Allow
                protocol: Icmp
                source_address_prefixes: [10.0.0.0/24, Internet]
                destination_address_prefix: "fd00::/64"
                destination_port_range: "443"
            """);

        Spec.Errors(
            result,
            "spec.yml:4:5: security_rules[0]: mixes IPv4 and IPv6 prefixes; an Azure rule covers one address family (write one rule for each)",
            "spec.yml:9:44: security_rules[0].source_address_prefixes[1]: 'Internet' must be the only source prefix: Azure does not combine '*' or a service tag with other prefixes in one rule",
            "spec.yml:11:29: security_rules[0].destination_port_range: Icmp has no ports; write '*'");
    }

    [Fact]
    public void Rule_WithAddressTypo_IsNotTakenForAServiceTag()
    {
        var result = Spec.Read(
            """
            type: network_security_group
            name: nsg
            security_rules:
              - {name: r, priority: 100, direction: Inbound, access: Allow, protocol: Tcp, source_address_prefix: 10.0.0/24, destination_address_prefix: "Storage West", destination_port_range: "443"}
            """);

        Spec.Errors(
            result,
            "spec.yml:4:103: security_rules[0].source_address_prefix: '10.0.0' is not an IP address; write four numbers from 0 to 255, e.g. 10.0.0.4",
            "spec.yml:4:142: security_rules[0].destination_address_prefix: 'Storage West' is neither an IP address, a CIDR block, '*' nor a service tag name (a service tag name starts with a letter and has letters, digits, '.', '-' and '_')");
    }

    [Fact]
    public void Rule_WithMisspeltKey_SuggestsTheRightOne()
    {
        var result = Spec.Read(
            """
            type: network_security_group
            name: nsg
            security_rules:
              - {name: r, priority: 100, direction: Inbound, access: Allow, protocol: Tcp, source_address_prefix: "*", destination_address_prefix: "*", destination_port_rang: "443"}
            """);

        Assert.Contains("spec.yml:4:141: unknown key 'destination_port_rang' in 'security_rules[0]'; did you mean 'destination_port_range'?", Spec.Messages(result));
    }
}
