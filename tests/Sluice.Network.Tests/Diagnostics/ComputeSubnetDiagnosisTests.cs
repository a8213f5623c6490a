using Sluice.Network.Diagnostics;
using Sluice.Network.Model;
using static Sluice.Network.Tests.Diagnostics.DiagnosisAssert;
using static Sluice.Network.Tests.TestSupport.Net;

namespace Sluice.Network.Tests.Diagnostics;

public sealed class ComputeSubnetDiagnosisTests
{
    [Fact]
    public void SubnetTooSmallForMaxInstances_WarnsOfPartialAllocation_WithThePrefixThatFits()
    {
        var scenario = new DiagnosisScenario();
        scenario.ReplaceSubnet("compute", s => s with { AddressPrefixes = ["10.0.1.0/28"] });
        scenario.Interfaces.Add(Nic("jumpbox", "vnet", "compute", "10.0.1.4"));
        scenario.Interfaces.Add(Nic("agent", "vnet", "compute", "10.0.1.5"));
        scenario.Compute = scenario.Compute with { MaxInstances = 20 };

        var diagnosis = scenario.Diagnose();

        // 16 addresses - 5 reserved - 2 interfaces = 9 free for 20 nodes; 20 + 2 need a /27 (27 usable).
        Finding(diagnosis, DiagnosisGroup.Other, DiagnosisCodes.SubnetTooSmall, FindingLevel.Warning,
            "11 usable addresses", "2 of them taken", "leaving 9", "up to 20", "partial allocation", "/27 or larger", "max_instances to 9");
        Assert.Equal("subnet:vnet/compute", Single(diagnosis, DiagnosisGroup.Other, DiagnosisCodes.SubnetTooSmall).Resource);
    }

    [Fact]
    public void PrivateEndpointsInTheComputeSubnet_TakeAddressesFromTheNodes()
    {
        var scenario = new DiagnosisScenario();
        scenario.ReplaceSubnet("compute", s => s with { AddressPrefixes = ["10.0.1.0/28"] });
        scenario.Compute = scenario.Compute with { MaxInstances = 10 };

        NoFinding(scenario.Diagnose(), DiagnosisCodes.SubnetTooSmall);

        scenario.Endpoints.Add(DiagnosisScenario.Endpoint("pe-extra-1", "other", PrivateEndpointGroupId.Blob, "10.0.1.10") with { Subnet = "compute" });
        scenario.Endpoints.Add(DiagnosisScenario.Endpoint("pe-extra-2", "other", PrivateEndpointGroupId.Blob, "10.0.1.11") with { Subnet = "compute" });
        Finding(scenario.Diagnose(), DiagnosisGroup.Other, DiagnosisCodes.SubnetTooSmall, FindingLevel.Warning, "leaving 9", "up to 10");
    }

    [Fact]
    public void ComputesSharingASubnet_AreCountedTogether()
    {
        var scenario = new DiagnosisScenario();
        scenario.ReplaceSubnet("compute", s => s with { AddressPrefixes = ["10.0.1.0/28"] });
        scenario.Compute = scenario.Compute with { MaxInstances = 8 };
        scenario.Computes.Add(new ComputeFacts { Name = "gpu", Kind = ComputeKind.AmlCompute, Location = Region, VirtualNetwork = "vnet", Subnet = "compute", MaxInstances = 8 });

        Finding(scenario.Diagnose(), DiagnosisGroup.Other, DiagnosisCodes.SubnetTooSmall, FindingLevel.Warning, "cpu: 8, gpu: 8", "up to 16");
    }

    [Fact]
    public void SubnetWithNoAddressLeft_IsAnError()
    {
        var scenario = new DiagnosisScenario();
        scenario.ReplaceSubnet("compute", s => s with { AddressPrefixes = ["10.0.1.0/29"] });
        scenario.Interfaces.Add(Nic("a", "vnet", "compute", "10.0.1.4"));
        scenario.Interfaces.Add(Nic("b", "vnet", "compute", "10.0.1.5"));
        scenario.Interfaces.Add(Nic("c", "vnet", "compute", "10.0.1.6"));

        Finding(scenario.Diagnose(), DiagnosisGroup.Other, DiagnosisCodes.SubnetTooSmall, FindingLevel.Error, "No node can be allocated");
    }

    [Fact]
    public void DelegatedComputeSubnet_IsAnError()
    {
        var scenario = new DiagnosisScenario();
        scenario.ReplaceSubnet("compute", s => s with { Delegations = ["Microsoft.ContainerInstance/containerGroups"] });

        var diagnosis = scenario.Diagnose();

        Finding(diagnosis, DiagnosisGroup.Other, DiagnosisCodes.SubnetDelegated, FindingLevel.Error, "Microsoft.ContainerInstance/containerGroups", "remove the delegation");
        Assert.Equal("subnet:vnet/compute", Single(diagnosis, DiagnosisGroup.Other, DiagnosisCodes.SubnetDelegated).Resource);
    }

    [Fact]
    public void ClusterInAnotherRegion_IsAWarning_AndAnInstanceThereAnError()
    {
        var scenario = new DiagnosisScenario();
        scenario.OtherNetworks.Add(new VirtualNetwork { Name = "far", Location = "northeurope", AddressSpace = ["10.20.0.0/16"], Subnets = [Subnet("nodes", "10.20.1.0/24")] });
        scenario.Compute = scenario.Compute with { Location = "northeurope", VirtualNetwork = "far", Subnet = "nodes" };

        Finding(scenario.Diagnose(), DiagnosisGroup.Other, DiagnosisCodes.ComputeRegionMismatch, FindingLevel.Warning, "northeurope", "westeurope", "peered");

        scenario.Compute = scenario.Compute with { Kind = ComputeKind.ComputeInstance };
        Finding(scenario.Diagnose(), DiagnosisGroup.Other, DiagnosisCodes.ComputeRegionMismatch, FindingLevel.Error, "must be in its workspace's region");
    }

    [Fact]
    public void ComputeInARegionOtherThanItsNetwork_IsAnError()
    {
        var scenario = new DiagnosisScenario();
        scenario.Compute = scenario.Compute with { Location = "northeurope" };

        Finding(scenario.Diagnose(), DiagnosisGroup.Other, DiagnosisCodes.ComputeVirtualNetworkRegionMismatch, FindingLevel.Error, "virtual network vnet is in westeurope");
    }

    [Fact]
    public void ComputeWithoutVirtualNetwork_InAPrivateWorkspace_Warns()
    {
        var scenario = new DiagnosisScenario();
        scenario.Compute = scenario.Compute with { VirtualNetwork = null, Subnet = null };

        Finding(scenario.Diagnose(), DiagnosisGroup.Other, DiagnosisCodes.ComputeWithoutVirtualNetwork, FindingLevel.Warning, "network_settings");
    }

    [Fact]
    public void ComputeNamingAMissingSubnet_IsAnError()
    {
        var scenario = new DiagnosisScenario();
        scenario.Compute = scenario.Compute with { Subnet = "nodes" };

        Finding(scenario.Diagnose(), DiagnosisGroup.Other, DiagnosisCodes.ComputeSubnetNotFound, FindingLevel.Error, "no such subnet", "compute, endpoints, appliances");
    }

    [Fact]
    public void ComputeInANetworkWithoutRouteToTheWorkspaceEndpoint_CannotReachTheWorkspace()
    {
        var scenario = new DiagnosisScenario();
        scenario.OtherNetworks.Add(Vnet("training", "10.30.0.0/16", Subnet("nodes", "10.30.1.0/24")));
        scenario.Computes.Add(new ComputeFacts { Name = "remote", Kind = ComputeKind.AmlCompute, Location = Region, VirtualNetwork = "training", Subnet = "nodes", EnableNodePublicIp = false });

        var diagnosis = scenario.Diagnose();

        Finding(diagnosis, DiagnosisGroup.Other, DiagnosisCodes.WorkspaceUnreachableFromCompute, FindingLevel.Error, "remote", "peer virtual network training with vnet");
        Finding(diagnosis, DiagnosisGroup.StorageAccount, DiagnosisCodes.PrivateEndpointNotReachableFromCompute, FindingLevel.Error, "remote", "pe-blob");
    }
}
