using Sluice.Network.Diagnostics;
using Sluice.Network.Model;
using static Sluice.Network.Tests.Diagnostics.DiagnosisAssert;
using static Sluice.Network.Tests.TestSupport.Net;

namespace Sluice.Network.Tests.Diagnostics;

public sealed class KubernetesDiagnosisTests
{
    private static DiagnosisScenario WithKubernetes(string? serviceCidr = "10.100.0.0/16", string? dns = "10.100.0.10", string? bridge = "172.17.0.0/16")
    {
        var scenario = new DiagnosisScenario();
        scenario.Computes.Add(new ComputeFacts
        {
            Name = "aks",
            Kind = ComputeKind.Kubernetes,
            Location = Region,
            VirtualNetwork = "vnet",
            Subnet = "compute",
            ServiceCidr = serviceCidr,
            DnsServiceIp = dns,
            DockerBridgeCidr = bridge,
        });
        return scenario;
    }

    [Fact]
    public void SeparateServiceAndBridgeRanges_AreFine() => Clean(WithKubernetes().Diagnose());

    [Fact]
    public void ServiceCidrOverlappingASubnet_IsAnError_ThatNamesTheSubnetAndAFreeRange()
    {
        var diagnosis = WithKubernetes(serviceCidr: "10.0.0.0/22", dns: "10.0.0.10", bridge: "172.17.0.0/16").Diagnose();

        Finding(diagnosis, DiagnosisGroup.Other, DiagnosisCodes.KubernetesServiceCidrOverlapsSubnet, FindingLevel.Error,
            "subnet vnet/compute (10.0.1.0/24)", "subnet vnet/endpoints (10.0.2.0/24)", "e.g. 10.1.0.0/22");
    }

    [Fact]
    public void ServiceCidrOverlappingAPeeredNetwork_IsAnError()
    {
        var scenario = WithKubernetes(serviceCidr: "10.9.0.0/16", dns: "10.9.0.10", bridge: "172.17.0.0/16");
        scenario.OtherNetworks.Add(Vnet("hub", "10.9.0.0/16", Subnet("shared", "10.9.1.0/24")) with { Peerings = [new Peering { Name = "to-vnet", RemoteVirtualNetwork = "vnet" }] });
        scenario.Peerings.Add(new Peering { Name = "to-hub", RemoteVirtualNetwork = "hub" });

        Finding(scenario.Diagnose(), DiagnosisGroup.Other, DiagnosisCodes.KubernetesServiceCidrOverlapsSubnet, FindingLevel.Error, "subnet hub/shared (10.9.1.0/24) (peered)");
    }

    [Fact]
    public void DnsServiceIpOutsideTheServiceCidr_IsAnError()
    {
        Finding(WithKubernetes(dns: "10.200.0.10", bridge: "172.17.0.0/16").Diagnose(), DiagnosisGroup.Other, DiagnosisCodes.KubernetesDnsServiceIpOutsideServiceCidr, FindingLevel.Error,
            "10.200.0.10", "outside its service CIDR 10.100.0.0/16", "e.g. 10.100.0.10");
    }

    [Fact]
    public void DockerBridgeOverlappingTheServiceCidrOrASubnet_IsAnError()
    {
        Finding(WithKubernetes(bridge: "10.100.128.0/17").Diagnose(), DiagnosisGroup.Other, DiagnosisCodes.KubernetesDockerBridgeOverlaps, FindingLevel.Error, "the service CIDR 10.100.0.0/16");
        Finding(WithKubernetes(bridge: "10.0.1.0/24").Diagnose(), DiagnosisGroup.Other, DiagnosisCodes.KubernetesDockerBridgeOverlaps, FindingLevel.Error, "subnet vnet/compute");
    }

    [Fact]
    public void MalformedRange_IsReported()
    {
        Finding(WithKubernetes(serviceCidr: "10.100.0.1/16", dns: null).Diagnose(), DiagnosisGroup.Other, DiagnosisCodes.KubernetesNetworkInvalid, FindingLevel.Error, "service_cidr", "10.100.0.0/16");
    }
}
