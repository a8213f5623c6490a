using Sluice.Core.Specs;
using Sluice.Core.Tests.TestSupport;

namespace Sluice.Core.Tests.Specs;

public sealed class ComputeSpecTests
{
    [Fact]
    public void Compute_WithNameAndType_FillsAzureDefaults()
    {
        var result = Spec.Read("name: cpu-cluster\ntype: amlcompute\n");

        var compute = Spec.Valid<ComputeSpec>(result);
        Assert.Equal(DocumentKind.Compute, result.Kind);
        Assert.Equal(ComputeType.Amlcompute, compute.Type);
        Assert.Equal(0, compute.MinInstances);
        Assert.Equal(1, compute.MaxInstances);
        Assert.Equal(120, compute.IdleTimeBeforeScaleDown);
        Assert.Equal(ComputeTier.Dedicated, compute.Tier);
        Assert.True(compute.EnableNodePublicIp);
        Assert.Null(compute.Size);
        Assert.Null(compute.NetworkSettings);
    }

    [Fact]
    public void Compute_WithEveryField_ReadsThemAllAndWarnsAboutLoginSettings()
    {
        var result = Spec.Read(
            """
            name: cpu-cluster
            type: amlcompute
            description: Batch scoring nodes
            size: STANDARD_DS3_v2
            min_instances: 1
            max_instances: 4
            idle_time_before_scale_down: 600
            tier: low_priority
            location: westeurope
            network_settings:
              vnet_name: scoring-vnet
              subnet: nodes
            enable_node_public_ip: false
            ssh_public_access_enabled: false
            """);

        var compute = Spec.Valid<ComputeSpec>(result);
        Assert.Equal("STANDARD_DS3_v2", compute.Size);
        Assert.Equal((1, 4, 600), (compute.MinInstances, compute.MaxInstances, compute.IdleTimeBeforeScaleDown));
        Assert.Equal(ComputeTier.LowPriority, compute.Tier);
        Assert.Equal("westeurope", compute.Location);
        Assert.Equal(("scoring-vnet", "nodes"), (compute.NetworkSettings?.VnetName, compute.NetworkSettings?.Subnet));
        Assert.False(compute.EnableNodePublicIp);
        Assert.Equal(["spec.yml:14:28: warning: ssh_public_access_enabled: node login settings do not apply to Sluice nodes; ignored"], Spec.Messages(result));
    }

    [Fact]
    public void Compute_WithOnlyMinInstances_RaisesTheMaximumToMatch()
    {
        var compute = Spec.Valid<ComputeSpec>("name: cpu-cluster\ntype: amlcompute\nmin_instances: 3\n");

        Assert.Equal((3, 3), (compute.MinInstances, compute.MaxInstances));
    }

    [Fact]
    public void Compute_WithMinAboveMax_ExplainsTheConflict()
    {
        var result = Spec.Read("name: cpu-cluster\ntype: amlcompute\nmin_instances: 3\nmax_instances: 2\n");

        Spec.SingleError(result, "spec.yml:3:16: min_instances: 3 is more than max_instances (2); a cluster cannot keep more nodes than it may ever have");
    }

    [Fact]
    public void Compute_WithOutOfRangeNumbers_ReportsEachRange()
    {
        var result = Spec.Read(
            """
            name: cpu-cluster
            type: amlcompute
            max_instances: 0
            idle_time_before_scale_down: -1
            """);

        Spec.Errors(
            result,
            "spec.yml:3:16: max_instances: 0 is out of range; expected a value from 1 to 1000",
            "spec.yml:4:30: idle_time_before_scale_down: -1 is out of range; expected a value from 0 to 604800");
    }

    [Fact]
    public void Compute_WithTextForANumber_ReportsTheType()
    {
        var result = Spec.Read("name: cpu-cluster\ntype: amlcompute\nmax_instances: four\n");

        Spec.SingleError(result, "spec.yml:3:16: max_instances: expected a whole number, got 'four'");
    }

    [Theory]
    [InlineData("computeinstance")]
    [InlineData("virtualmachine")]
    public void Compute_OfAnUnsupportedType_PointsToAmlcompute(string type)
    {
        var result = Spec.Read($"name: cpu-cluster\ntype: {type}\n");

        Spec.SingleError(result, $"spec.yml:2:7: type: compute of type '{type}' is not supported; batch deployments run on compute clusters: use 'type: amlcompute'");
    }

    [Fact]
    public void KubernetesCompute_IsReadAsAModel_WithItsNetworkProfile_AndTheBridgeAddressAsItsNetwork()
    {
        var result = Spec.Read("name: aks\ntype: kubernetes\nkubernetes_network:\n  service_cidr: 10.100.0.0/16\n  dns_service_ip: 10.100.0.10\n  docker_bridge_cidr: 172.17.0.1/16\n");

        var spec = Spec.Valid<ComputeSpec>(result);
        Assert.Equal(ComputeType.Kubernetes, spec.Type);
        Assert.Equal("10.100.0.0/16", spec.KubernetesNetwork!.ServiceCidr);
        Assert.Equal("10.100.0.10", spec.KubernetesNetwork.DnsServiceIp);
        Assert.Equal("172.17.0.0/16", spec.KubernetesNetwork.DockerBridgeCidr);
    }

    [Fact]
    public void KubernetesNetwork_WithAMalformedServiceCidr_IsReportedAtItsLine()
    {
        var result = Spec.Read("name: aks\ntype: kubernetes\nkubernetes_network:\n  service_cidr: 10.100.0.0/33\n");

        var message = Assert.Single(Spec.Messages(result));
        Assert.StartsWith("spec.yml:4:17: kubernetes_network.service_cidr:", message, StringComparison.Ordinal);
    }

    [Fact]
    public void KubernetesNetwork_OnAComputeCluster_IsReportedAtItsKey()
    {
        var result = Spec.Read("name: cpu\ntype: amlcompute\nkubernetes_network:\n  service_cidr: 10.100.0.0/16\n");

        var message = Assert.Single(Spec.Messages(result));
        Assert.StartsWith("spec.yml:4:3: kubernetes_network: applies only to 'type: kubernetes' compute", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_WithoutType_ReportsTheMissingType()
    {
        var result = Spec.Read("name: cpu-cluster\nsize: STANDARD_DS3_v2\n");

        Spec.SingleError(result, "spec.yml:1:1: missing required key 'type'; Sluice's compute clusters are 'type: amlcompute'");
    }

    [Fact]
    public void Compute_WithMistypedTier_SuggestsTheClosestValue()
    {
        var result = Spec.Read("name: cpu-cluster\ntype: amlcompute\ntier: low_priorty\n");

        Spec.SingleError(result, "spec.yml:3:7: tier: 'low_priorty' is not allowed; expected one of: dedicated, low_priority (did you mean 'low_priority'?)");
    }

    [Fact]
    public void Compute_WithBareSubnetAndNoVnet_AsksForTheVnet()
    {
        var result = Spec.Read("name: cpu-cluster\ntype: amlcompute\nnetwork_settings:\n  subnet: nodes\n");

        Spec.SingleError(result, "spec.yml:4:11: network_settings.subnet: name the virtual network too: set vnet_name, or give the subnet as <vnet>/subnets/<subnet>");
    }

    [Fact]
    public void Compute_WithSubnetPathAndNoVnet_KeepsTheTwoNames()
    {
        var compute = Spec.Valid<ComputeSpec>("name: cpu-cluster\ntype: amlcompute\nnetwork_settings:\n  subnet: scoring-vnet/subnets/nodes\n");

        Assert.Equal(("scoring-vnet", "nodes"), (compute.NetworkSettings?.VnetName, compute.NetworkSettings?.Subnet));
    }

    [Fact]
    public void Compute_WithSubnetArmId_KeepsTheTwoNames()
    {
        var compute = Spec.Valid<ComputeSpec>(
            """
            name: cpu-cluster
            type: amlcompute
            network_settings:
              vnet_name: scoring-vnet
              subnet: /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/scoring-vnet/subnets/nodes
            """);

        Assert.Equal(("scoring-vnet", "nodes"), (compute.NetworkSettings?.VnetName, compute.NetworkSettings?.Subnet));
    }

    [Fact]
    public void Compute_WithSubnetIdOfAnotherVnet_ReportsTheMismatch()
    {
        var result = Spec.Read("name: cpu-cluster\ntype: amlcompute\nnetwork_settings:\n  vnet_name: a\n  subnet: b/subnets/nodes\n");

        Spec.SingleError(result, "spec.yml:5:11: network_settings.subnet: names virtual network 'b', but vnet_name says 'a'");
    }

    [Fact]
    public void Compute_WithVnetButNoSubnet_AsksForTheSubnet()
    {
        var result = Spec.Read("name: cpu-cluster\ntype: amlcompute\nnetwork_settings:\n  vnet_name: a\n");

        Spec.SingleError(result, "spec.yml:4:3: missing required key 'network_settings.subnet'; the subnet the nodes join, in the virtual network vnet_name");
    }

    [Fact]
    public void Compute_WithOneCharacterName_ReportsTheNamingRule()
    {
        var result = Spec.Read("name: c\ntype: amlcompute\n");

        Spec.SingleError(result, "spec.yml:1:7: name: 'c' is not a valid name: a compute name has 2 to 32 characters: letters, digits and '-', starting with a letter and not ending with '-'");
    }
}
