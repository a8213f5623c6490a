using Sluice.Network.Diagnostics;
using Sluice.Network.Model;
using Sluice.Network.Tests.TestSupport;
using static Sluice.Network.Tests.Diagnostics.DiagnosisAssert;

namespace Sluice.Network.Tests.Diagnostics;

public sealed class OutboundDiagnosisTests
{
    [Fact]
    public void LockedDownOutbound_AllowingEveryRequiredTag_IsClean()
    {
        var scenario = new DiagnosisScenario();
        scenario.ComputeRules.AddRange(DiagnosisScenario.LockedDownOutbound());

        Clean(scenario.Diagnose());
    }

    [Fact]
    public void LockedDownOutbound_WithoutStorage_BlocksStorageOn443AndFileSharesOn445()
    {
        var scenario = new DiagnosisScenario();
        scenario.ComputeRules.AddRange(DiagnosisScenario.LockedDownOutbound(except: "Storage.WestEurope"));

        var diagnosis = scenario.Diagnose();

        Finding(diagnosis, DiagnosisGroup.NetworkSecurityRules, DiagnosisCodes.RequiredOutboundBlockedFor("Storage"), FindingLevel.Error,
            "TCP 443 to service tag Storage.WestEurope", "rule 'deny-internet-out' (priority 4000)", "allows TCP 443 from VirtualNetwork to Storage.WestEurope", "priority 3990");
        Finding(diagnosis, DiagnosisGroup.NetworkSecurityRules, DiagnosisCodes.RequiredOutboundBlockedFor("StorageFileShare"), FindingLevel.Warning, "TCP 445");
        Assert.Equal("RequiredOutboundBlocked.Storage", DiagnosisCodes.RequiredOutboundBlockedFor("Storage"));
    }

    [Theory]
    [InlineData("AzureActiveDirectory", "AzureActiveDirectory", FindingLevel.Error)]
    [InlineData("AzureMachineLearning", "AzureMachineLearning", FindingLevel.Error)]
    [InlineData("BatchNodeManagement.WestEurope", "BatchNodeManagement", FindingLevel.Error)]
    [InlineData("AzureResourceManager", "AzureResourceManager", FindingLevel.Error)]
    [InlineData("MicrosoftContainerRegistry", "MicrosoftContainerRegistry", FindingLevel.Warning)]
    [InlineData("AzureFrontDoor.FirstParty", "AzureFrontDoor", FindingLevel.Warning)]
    public void LockedDownOutbound_WithoutARequiredTag_ReportsThatTag(string tag, string key, FindingLevel level)
    {
        var scenario = new DiagnosisScenario();
        scenario.ComputeRules.AddRange(DiagnosisScenario.LockedDownOutbound(except: tag));

        // One finding per required flow: AzureMachineLearning is needed on TCP 443 and UDP 5831.
        var findings = scenario.Diagnose().NetworkSecurityRules.Where(f => f.Code == DiagnosisCodes.RequiredOutboundBlockedFor(key)).ToList();

        Assert.NotEmpty(findings);
        Assert.All(findings, f => Assert.Equal(level, f.Level));
        Assert.All(findings, f => Assert.Contains($"to service tag {tag}", f.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void RegistryReachedThroughItsPrivateEndpoint_DoesNotNeedTheRegistryTag_ButAPublicRegistryDoes()
    {
        var scenario = new DiagnosisScenario();
        scenario.ComputeRules.AddRange(DiagnosisScenario.LockedDownOutbound(except: "AzureContainerRegistry.WestEurope"));

        NoFinding(scenario.Diagnose(), DiagnosisCodes.RequiredOutboundBlocked);

        scenario.RemoveEndpoint("pe-acr");
        scenario.Registry = scenario.Registry with { PublicNetworkAccess = PublicNetworkAccess.Enabled };
        Finding(scenario.Diagnose(), DiagnosisGroup.NetworkSecurityRules, DiagnosisCodes.RequiredOutboundBlockedFor("AzureContainerRegistry"), FindingLevel.Error, "AzureContainerRegistry.WestEurope");
    }

    [Fact]
    public void RuleDenyingThePrivateEndpointsSubnet_BlocksTheServices()
    {
        var scenario = new DiagnosisScenario();
        scenario.ComputeRules.Add(Rule.Deny("deny-endpoints", 300, SecurityRuleDirection.Outbound, dst: "10.0.2.0/24"));

        var diagnosis = scenario.Diagnose();

        var findings = diagnosis.NetworkSecurityRules.Where(f => f.Code == DiagnosisCodes.RequiredOutboundBlockedFor("PrivateEndpoint")).ToList();
        Assert.Equal(3, findings.Count);
        Assert.All(findings, f => Assert.Contains("deny-endpoints", f.Message, StringComparison.Ordinal));
        Assert.Contains(findings, f => f.Message.Contains("private endpoint pe-blob (10.0.2.5) of storage_account:wsstore", StringComparison.Ordinal));
        Finding(diagnosis, DiagnosisGroup.NetworkSecurityRules, DiagnosisCodes.RequiredOutboundBlockedFor("Workspace"), FindingLevel.Error, "pe-ws");
    }

    [Fact]
    public void PrivateSubnetWithoutNatGateway_HasNoWayToTheRequiredTags_UntilOneIsAttached()
    {
        var scenario = new DiagnosisScenario();
        scenario.ReplaceSubnet("compute", s => s with { DefaultOutboundAccess = false });
        scenario.Compute = scenario.Compute with { EnableNodePublicIp = false };

        var finding = Single(scenario.Diagnose(), DiagnosisGroup.UserDefinedRoutes, DiagnosisCodes.RequiredOutboundBlockedFor("AzureActiveDirectory"));
        Assert.Contains("attach a NAT gateway to subnet vnet/compute", finding.Message, StringComparison.Ordinal);
        Assert.Equal("subnet:vnet/compute", finding.Resource);

        scenario.NatGateways.Add(new NatGateway { Name = "nat", PublicIpAddresses = ["52.20.0.1"] });
        scenario.ReplaceSubnet("compute", s => s with { NatGateway = "nat" });
        Clean(scenario.Diagnose());
    }

    [Fact]
    public void UserRouteDroppingARequiredTag_IsReportedWithTheRoute()
    {
        var scenario = new DiagnosisScenario();
        scenario.RouteTables.Add(TestSupport.Net.RouteTable("rt-compute", TestSupport.Net.Route("drop-arm", "AzureResourceManager", NextHopType.None)));
        scenario.ReplaceSubnet("compute", s => s with { RouteTable = "rt-compute" });

        var diagnosis = scenario.Diagnose();

        Finding(diagnosis, DiagnosisGroup.UserDefinedRoutes, DiagnosisCodes.RequiredOutboundBlockedFor("AzureResourceManager"), FindingLevel.Error, "user route 'drop-arm'", "route table rt-compute");
        Assert.Equal("route_table:rt-compute", Single(diagnosis, DiagnosisGroup.UserDefinedRoutes, DiagnosisCodes.RequiredOutboundBlockedFor("AzureResourceManager")).Resource);
    }

    [Fact]
    public void SluiceRules_ControlPlaneUnreachable_MentionsTheApiPortAndLocalDatastores()
    {
        var scenario = new DiagnosisScenario();
        scenario.ComputeRules.Add(Rule.Deny("deny-control-plane", 300, SecurityRuleDirection.Outbound, dst: Sluice.Network.Tags.SluiceServiceTags.ControlPlane, dstPorts: "5080", protocol: SecurityRuleProtocol.Tcp));

        Finding(scenario.Diagnose(DiagnosisRules.Sluice), DiagnosisGroup.NetworkSecurityRules, DiagnosisCodes.RequiredOutboundBlockedFor("ControlPlane"), FindingLevel.Error,
            "TCP 5080 to SluiceControlPlane", "deny-control-plane", "local datastores localstore", "priority 290");
    }

    [Fact]
    public void SluiceRules_DatastoreAccountReachedPublicly_IsCheckedAtItsPublicAddress()
    {
        var scenario = new DiagnosisScenario
        {
            Workspace = new DiagnosisScenario().Workspace with { PublicNetworkAccess = PublicNetworkAccess.Enabled },
            Storage = new DiagnosisScenario().Storage with { PublicNetworkAccess = PublicNetworkAccess.Enabled },
        };
        scenario.BatchEndpoints.Clear();
        scenario.Endpoints.RemoveAll(e => e.Target.Name == "wsstore");

        Clean(scenario.Diagnose(DiagnosisRules.Sluice));

        scenario.ComputeRules.Add(Rule.Deny("deny-storage", 300, SecurityRuleDirection.Outbound, dst: "20.60.1.50"));
        Finding(scenario.Diagnose(DiagnosisRules.Sluice), DiagnosisGroup.NetworkSecurityRules, DiagnosisCodes.RequiredOutboundBlockedFor("StorageAccount"), FindingLevel.Error,
            "storage account wsstore (20.60.1.50)", "datastores blobstore", "deny-storage");
    }

    [Fact]
    public void SluiceRules_ServiceWithoutKnownAddress_IsNotChecked_AndSaysSo()
    {
        var scenario = new DiagnosisScenario { SecretStore = new DiagnosisScenario().SecretStore with { PublicNetworkAccess = PublicNetworkAccess.Enabled } };
        scenario.RemoveEndpoint("pe-vault");

        Finding(scenario.Diagnose(DiagnosisRules.Sluice), DiagnosisGroup.KeyVault, DiagnosisCodes.ServiceAddressUnknown, FindingLevel.Warning, "set public_address on secret_store:wskv");
    }
}
