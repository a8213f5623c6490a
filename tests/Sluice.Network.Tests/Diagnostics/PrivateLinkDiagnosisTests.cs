using Sluice.Network.Diagnostics;
using Sluice.Network.Model;
using static Sluice.Network.Tests.Diagnostics.DiagnosisAssert;
using static Sluice.Network.Tests.TestSupport.Net;

namespace Sluice.Network.Tests.Diagnostics;

public sealed class PrivateLinkDiagnosisTests
{
    [Theory]
    [InlineData("pe-blob", PrivateEndpointGroupId.Blob, "blob")]
    [InlineData("pe-file", PrivateEndpointGroupId.File, "file")]
    [InlineData("pe-queue", PrivateEndpointGroupId.Queue, "queue")]
    [InlineData("pe-table", PrivateEndpointGroupId.Table, "table")]
    public void PrivateWorkspace_WithoutAStorageEndpoint_ReportsThatGroupMissing(string endpoint, PrivateEndpointGroupId group, string groupId)
    {
        var scenario = new DiagnosisScenario();
        scenario.RemoveEndpoint(endpoint);

        var diagnosis = scenario.Diagnose();

        Finding(diagnosis, DiagnosisGroup.StorageAccount, DiagnosisCodes.PrivateEndpointMissingFor(group), FindingLevel.Error,
            $"group_id {groupId}", "target storage_account:wsstore", "subnet vnet/endpoints", "blob, file, queue and table");
        Assert.Equal($"PrivateEndpointMissing.{group}", DiagnosisCodes.PrivateEndpointMissingFor(group));
    }

    [Fact]
    public void PrivateWorkspace_WithoutAnyStorageEndpoint_ReportsEachGroupAndPublicOnlyAccess()
    {
        var scenario = new DiagnosisScenario { Storage = new DiagnosisScenario().Storage with { PublicNetworkAccess = PublicNetworkAccess.Enabled } };
        scenario.Endpoints.RemoveAll(e => e.Target.Name == "wsstore");

        var diagnosis = scenario.Diagnose();

        Assert.Equal(
            ["PrivateEndpointMissing.Blob", "PrivateEndpointMissing.File", "PrivateEndpointMissing.Queue", "PrivateEndpointMissing.Table", DiagnosisCodes.ReachableOnlyPublicly],
            diagnosis.StorageAccount.Select(f => f.Code));
    }

    [Fact]
    public void SluiceRules_NeedOnlyTheBlobEndpoint()
    {
        var scenario = new DiagnosisScenario();
        scenario.RemoveEndpoint("pe-file");
        scenario.RemoveEndpoint("pe-queue");
        scenario.RemoveEndpoint("pe-table");

        NoFinding(scenario.Diagnose(DiagnosisRules.Sluice), DiagnosisCodes.PrivateEndpointMissing);
        Assert.Equal(3, scenario.Diagnose().StorageAccount.Count);
    }

    [Fact]
    public void PublicWorkspace_DoesNotNeedStorageEndpoints()
    {
        var scenario = new DiagnosisScenario
        {
            Workspace = new DiagnosisScenario().Workspace with { PublicNetworkAccess = PublicNetworkAccess.Enabled },
            Storage = new DiagnosisScenario().Storage with { PublicNetworkAccess = PublicNetworkAccess.Enabled },
        };
        scenario.BatchEndpoints.Clear();
        scenario.Endpoints.RemoveAll(e => e.Target.Name == "wsstore");

        var diagnosis = scenario.Diagnose();

        NoFinding(diagnosis, DiagnosisCodes.PrivateEndpointMissing);
        NoFinding(diagnosis, DiagnosisCodes.ReachableOnlyPublicly);
    }

    [Fact]
    public void PendingEndpoint_IsReportedAsNotApproved_NotAsMissing()
    {
        var scenario = new DiagnosisScenario();
        scenario.ReplaceEndpoint("pe-blob", e => e with { ConnectionState = PrivateEndpointConnectionState.Pending });

        var diagnosis = scenario.Diagnose();

        Finding(diagnosis, DiagnosisGroup.StorageAccount, DiagnosisCodes.PrivateEndpointNotApproved, FindingLevel.Error, "pe-blob", "Pending", "approve the connection");
        NoFinding(diagnosis, DiagnosisCodes.PrivateEndpointMissing);
    }

    [Fact]
    public void DisconnectedEndpoint_BesideAnApprovedOne_IsAWarningToRecreate()
    {
        var scenario = new DiagnosisScenario();
        scenario.Endpoints.Add(DiagnosisScenario.Endpoint("pe-blob-old", "wsstore", PrivateEndpointGroupId.Blob, "10.0.2.20", "wsstore.blob.core.windows.net") with { ConnectionState = PrivateEndpointConnectionState.Disconnected });

        var diagnosis = scenario.Diagnose();

        Finding(diagnosis, DiagnosisGroup.StorageAccount, DiagnosisCodes.PrivateEndpointNotApproved, FindingLevel.Warning, "pe-blob-old", "Disconnected", "create it again", "pe-blob serves");
    }

    [Fact]
    public void PrivateWorkspace_WithoutItsOwnEndpoint_IsAnError()
    {
        var scenario = new DiagnosisScenario();
        scenario.RemoveEndpoint("pe-ws");

        Finding(scenario.Diagnose(), DiagnosisGroup.Other, DiagnosisCodes.WorkspacePrivateEndpointMissing, FindingLevel.Error, "group_id amlworkspace", "subnet vnet/compute");
    }

    [Fact]
    public void QuarantinedRegistry_IsUnsupported()
    {
        var scenario = new DiagnosisScenario { Registry = new DiagnosisScenario().Registry with { Quarantine = true } };

        Finding(scenario.Diagnose(), DiagnosisGroup.ContainerRegistry, DiagnosisCodes.RegistryQuarantineUnsupported, FindingLevel.Error, "wsacr", "quarantine: false");

        scenario.Registry = scenario.Registry with { Quarantine = false };
        NoFinding(scenario.Diagnose(), DiagnosisCodes.RegistryQuarantineUnsupported);
    }

    [Fact]
    public void PrivateWorkspace_SecretStoreWithoutEndpoint_IsReachableOnlyPublicly()
    {
        var scenario = new DiagnosisScenario { SecretStore = new DiagnosisScenario().SecretStore with { PublicNetworkAccess = PublicNetworkAccess.Enabled } };
        scenario.RemoveEndpoint("pe-vault");

        Finding(scenario.Diagnose(), DiagnosisGroup.KeyVault, DiagnosisCodes.ReachableOnlyPublicly, FindingLevel.Error,
            "target secret_store:wskv", "group_id vault", "public_network_access Disabled");
    }

    [Fact]
    public void RegistryWithPublicAccessDisabled_AndNoEndpoint_IsUnreachable()
    {
        var scenario = new DiagnosisScenario();
        scenario.RemoveEndpoint("pe-acr");

        Finding(scenario.Diagnose(), DiagnosisGroup.ContainerRegistry, DiagnosisCodes.ServiceUnreachable, FindingLevel.Error, "group_id registry", "vnet/compute");
    }

    [Fact]
    public void RegistryEndpointInANetworkThatIsNotPeered_DoesNotCount_UntilPeered()
    {
        var scenario = new DiagnosisScenario();
        scenario.RemoveEndpoint("pe-acr");
        scenario.OtherNetworks.Add(Vnet("shared", "10.9.0.0/16", Subnet("endpoints", "10.9.0.0/24")));
        scenario.Endpoints.Add(DiagnosisScenario.Endpoint("pe-acr-shared", "wsacr", PrivateEndpointGroupId.Registry, "10.9.0.4", "wsacr.azurecr.io", "wsacr.westeurope.data.azurecr.io") with { VirtualNetwork = "shared" });

        Finding(scenario.Diagnose(), DiagnosisGroup.ContainerRegistry, DiagnosisCodes.ServiceUnreachable, FindingLevel.Error, "wsacr");

        scenario.Peerings.Add(new Peering { Name = "to-shared", RemoteVirtualNetwork = "shared" });
        scenario.OtherNetworks[0] = scenario.OtherNetworks[0] with { Peerings = [new Peering { Name = "to-vnet", RemoteVirtualNetwork = "vnet" }] };
        Clean(scenario.Diagnose());
    }

    [Fact]
    public void ServiceTheInputDoesNotDescribe_IsNotChecked_AndSaysSo()
    {
        var scenario = new DiagnosisScenario { Workspace = new DiagnosisScenario().Workspace with { SecretStore = "other-kv" } };

        Finding(scenario.Diagnose(), DiagnosisGroup.KeyVault, DiagnosisCodes.ServiceNotDescribed, FindingLevel.Information, "other-kv");
    }
}
