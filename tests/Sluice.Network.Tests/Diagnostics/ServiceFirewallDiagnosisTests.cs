using Sluice.Network.Diagnostics;
using Sluice.Network.Model;
using static Sluice.Network.Tests.Diagnostics.DiagnosisAssert;

namespace Sluice.Network.Tests.Diagnostics;

public sealed class ServiceFirewallDiagnosisTests
{
    /// <summary>A public workspace whose storage account answers publicly behind a firewall that denies by default; no storage endpoints.</summary>
    private static DiagnosisScenario Firewalled(ServiceFirewall firewall)
    {
        var scenario = new DiagnosisScenario
        {
            Workspace = new DiagnosisScenario().Workspace with { PublicNetworkAccess = PublicNetworkAccess.Enabled },
            Storage = new DiagnosisScenario().Storage with { PublicNetworkAccess = PublicNetworkAccess.Enabled, Firewall = firewall },
        };
        scenario.BatchEndpoints.Clear();
        scenario.Endpoints.RemoveAll(e => e.Target.Name == "wsstore");
        return scenario;
    }

    [Fact]
    public void DenyingFirewall_WithoutRuleOrEndpointForTheComputeSubnet_ExcludesTheCompute()
    {
        var diagnosis = Firewalled(new ServiceFirewall { DefaultAction = FirewallAction.Deny }).Diagnose();

        Finding(diagnosis, DiagnosisGroup.StorageAccount, DiagnosisCodes.StorageFirewallExcludesCompute, FindingLevel.Error,
            "no virtual network rule names vnet/compute", "add a virtual network rule for vnet/compute", "Microsoft.Storage service endpoint", "group_id blob", "AzureServices bypass");
    }

    [Fact]
    public void VirtualNetworkRule_WithoutTheServiceEndpoint_SaysToEnableIt_AndWithItAdmits()
    {
        var scenario = Firewalled(new ServiceFirewall { DefaultAction = FirewallAction.Deny, VirtualNetworkRules = [new VirtualNetworkRule("vnet", "compute")] });

        Finding(scenario.Diagnose(), DiagnosisGroup.StorageAccount, DiagnosisCodes.StorageFirewallExcludesCompute, FindingLevel.Error,
            "matches only traffic that arrives over a Microsoft.Storage service endpoint", "Fix: enable the Microsoft.Storage service endpoint on subnet vnet/compute");

        scenario.ReplaceSubnet("compute", s => s with { ServiceEndpoints = ["Microsoft.Storage"] });
        NoFinding(scenario.Diagnose(), DiagnosisCodes.StorageFirewallExcludesCompute);
    }

    [Fact]
    public void PrivateEndpointReachableFromTheCompute_Admits()
    {
        var scenario = Firewalled(new ServiceFirewall { DefaultAction = FirewallAction.Deny });
        scenario.Endpoints.Add(DiagnosisScenario.Endpoint("pe-blob", "wsstore", PrivateEndpointGroupId.Blob, "10.0.2.5", "wsstore.blob.core.windows.net"));

        NoFinding(scenario.Diagnose(), DiagnosisCodes.StorageFirewallExcludesCompute);
    }

    [Fact]
    public void IpRuleForTheNatGatewayAddress_Admits_ButOtherAddressesDoNot()
    {
        var scenario = Firewalled(new ServiceFirewall { DefaultAction = FirewallAction.Deny, IpRules = ["203.0.113.0/24"] });
        scenario.NatGateways.Add(new NatGateway { Name = "nat", PublicIpAddresses = ["52.20.0.1"] });
        scenario.ReplaceSubnet("compute", s => s with { NatGateway = "nat" });

        Finding(scenario.Diagnose(), DiagnosisGroup.StorageAccount, DiagnosisCodes.StorageFirewallExcludesCompute, FindingLevel.Error, "outbound address 52.20.0.1 is not in its IP rules");

        scenario.Storage = scenario.Storage with { Firewall = scenario.Storage.Firewall with { IpRules = ["52.20.0.0/30"] } };
        NoFinding(scenario.Diagnose(), DiagnosisCodes.StorageFirewallExcludesCompute);
    }

    [Fact]
    public void AllowingFirewall_AdmitsEverything()
    {
        NoFinding(Firewalled(new ServiceFirewall()).Diagnose(), DiagnosisCodes.StorageFirewallExcludesCompute);
    }

    [Fact]
    public void RegistryFirewall_WithoutEndpoint_SuggestsAnEndpointOrANatAddress()
    {
        var scenario = new DiagnosisScenario
        {
            Workspace = new DiagnosisScenario().Workspace with { PublicNetworkAccess = PublicNetworkAccess.Enabled },
            Registry = new DiagnosisScenario().Registry with { PublicNetworkAccess = PublicNetworkAccess.Enabled, Firewall = new ServiceFirewall { DefaultAction = FirewallAction.Deny } },
        };
        scenario.BatchEndpoints.Clear();
        scenario.RemoveEndpoint("pe-acr");

        Finding(scenario.Diagnose(), DiagnosisGroup.ContainerRegistry, DiagnosisCodes.RegistryFirewallExcludesCompute, FindingLevel.Error, "registries have no virtual network rules", "group_id registry", "ip_rules");
    }
}
