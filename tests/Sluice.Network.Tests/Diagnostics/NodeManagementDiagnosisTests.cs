using Sluice.Network.Diagnostics;
using Sluice.Network.Model;
using Sluice.Network.Tags;
using Sluice.Network.Tests.TestSupport;
using static Sluice.Network.Tests.Diagnostics.DiagnosisAssert;

namespace Sluice.Network.Tests.Diagnostics;

public sealed class NodeManagementDiagnosisTests
{
    [Fact]
    public void DenyingRule_BlocksBatchNodeManagement_AndTheFixNamesRulePortsTagAndPriority()
    {
        var scenario = new DiagnosisScenario();
        scenario.ComputeRules.Clear();
        scenario.ComputeRules.Add(Rule.Deny("deny-internet-in", 200, src: "Internet"));

        var diagnosis = scenario.Diagnose();

        Finding(diagnosis, DiagnosisGroup.NetworkSecurityRules, DiagnosisCodes.NodeManagementInboundBlocked, FindingLevel.Error,
            "rule 'deny-internet-in' (priority 200) of network security group nsg-compute on subnet vnet/compute",
            "BatchNodeManagement.WestEurope", "allows TCP 29876-29877 from BatchNodeManagement.WestEurope to VirtualNetwork", "priority 190");
        Assert.Equal("network_security_group:nsg-compute", Single(diagnosis, DiagnosisGroup.NetworkSecurityRules, DiagnosisCodes.NodeManagementInboundBlocked).Resource);
    }

    [Fact]
    public void DefaultDenyRule_BlocksManagement_WhenNothingAllowsIt()
    {
        var scenario = new DiagnosisScenario();
        scenario.ComputeRules.Clear();

        Finding(scenario.Diagnose(), DiagnosisGroup.NetworkSecurityRules, DiagnosisCodes.NodeManagementInboundBlocked, FindingLevel.Error,
            "default rule 'DenyAllInBound' (priority 65500)", "priority 4090");
    }

    [Fact]
    public void RuleCoveringOnlyPartOfTheTag_IsCaught()
    {
        var scenario = new DiagnosisScenario();
        scenario.ComputeRules[0] = Rule.Allow("allow-batch-management", 100, src: "20.50.1.0/24", dst: "VirtualNetwork", dstPorts: "29876-29877", protocol: SecurityRuleProtocol.Tcp);

        Finding(scenario.Diagnose(), DiagnosisGroup.NetworkSecurityRules, DiagnosisCodes.NodeManagementInboundBlocked, FindingLevel.Error, "20.50.9.0", "DenyAllInBound");
    }

    [Fact]
    public void ComputeInstance_AlsoNeedsAzureMachineLearningOnPort44224()
    {
        var scenario = new DiagnosisScenario();
        scenario.ComputeRules.RemoveAll(r => r.Name == "allow-aml-instances");
        scenario.Compute = scenario.Compute with { Kind = ComputeKind.ComputeInstance };

        Finding(scenario.Diagnose(), DiagnosisGroup.NetworkSecurityRules, DiagnosisCodes.NodeManagementInboundBlocked, FindingLevel.Error, "TCP 44224", "AzureMachineLearning", "compute instance");
    }

    [Fact]
    public void ComputeWithoutNodePublicIp_DoesNotNeedInboundManagement()
    {
        var scenario = new DiagnosisScenario();
        scenario.ComputeRules.Clear();
        scenario.Compute = scenario.Compute with { EnableNodePublicIp = false };

        Clean(scenario.Diagnose());
    }

    [Fact]
    public void WithoutTheRegionalTag_TheGlobalBatchTagIsUsed()
    {
        var scenario = new DiagnosisScenario();
        scenario.Tags.RemoveAll(t => t.Name == "BatchNodeManagement.WestEurope");
        scenario.ComputeRules[0] = Rule.Deny("deny-batch", 100, src: "BatchNodeManagement", protocol: SecurityRuleProtocol.Tcp);

        Finding(scenario.Diagnose(), DiagnosisGroup.NetworkSecurityRules, DiagnosisCodes.NodeManagementInboundBlocked, FindingLevel.Error, "from service tag BatchNodeManagement (20.50.0.0)", "deny-batch");
    }

    [Fact]
    public void ManagementTagNotLoaded_IsAWarning_ThatSaysHowToLoadTags()
    {
        var scenario = new DiagnosisScenario();
        scenario.Tags.RemoveAll(t => t.Name.StartsWith("BatchNodeManagement", StringComparison.Ordinal));
        scenario.ComputeRules.RemoveAt(0);

        var diagnosis = scenario.Diagnose();

        Finding(diagnosis, DiagnosisGroup.NetworkSecurityRules, DiagnosisCodes.ServiceTagNotLoaded, FindingLevel.Warning, "BatchNodeManagement", "sluice network service-tag import");
        NoFinding(diagnosis, DiagnosisCodes.NodeManagementInboundBlocked);
    }

    [Fact]
    public void SluiceRules_ControlPlaneDeniedOnTheSiloPort_IsBlocked()
    {
        var scenario = new DiagnosisScenario();
        scenario.ComputeRules[2] = Rule.Allow("allow-sluice-nodes", 120, src: SluiceServiceTags.ControlPlane, dstPorts: "30000", protocol: SecurityRuleProtocol.Tcp);

        Finding(scenario.Diagnose(DiagnosisRules.Sluice), DiagnosisGroup.NetworkSecurityRules, DiagnosisCodes.NodeManagementInboundBlocked, FindingLevel.Error,
            "TCP 11111 from service tag SluiceControlPlane (198.51.100.10)", "allows TCP 11111 from SluiceControlPlane", "DenyAllInBound");
    }

    [Fact]
    public void SluiceRules_UseTheConfiguredNodeManagementPorts()
    {
        var scenario = new DiagnosisScenario { Sluice = new SluiceDeploymentFacts { NodeManagementPorts = [22000, 23000] } };

        Finding(scenario.Diagnose(DiagnosisRules.Sluice), DiagnosisGroup.NetworkSecurityRules, DiagnosisCodes.NodeManagementInboundBlocked, FindingLevel.Error, "TCP 22000,23000");

        scenario.ComputeRules[2] = Rule.Allow("allow-sluice-nodes", 120, src: SluiceServiceTags.ControlPlane, dstPorts: "22000,23000", protocol: SecurityRuleProtocol.Tcp);
        NoFinding(scenario.Diagnose(DiagnosisRules.Sluice), DiagnosisCodes.NodeManagementInboundBlocked);
    }

    [Fact]
    public void SluiceRules_WithoutControlPlaneAddresses_Warn()
    {
        var scenario = new DiagnosisScenario();
        scenario.Tags.RemoveAll(t => t.Origin == ServiceTagOrigin.Sluice);
        scenario.ComputeRules.RemoveAt(2);

        Finding(scenario.Diagnose(DiagnosisRules.Sluice), DiagnosisGroup.NetworkSecurityRules, DiagnosisCodes.ServiceTagNotLoaded, FindingLevel.Warning, "SluiceControlPlane", "control plane's addresses");
    }
}
