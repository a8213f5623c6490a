using Sluice.Network.Diagnostics;
using Sluice.Network.Model;
using static Sluice.Network.Tests.Diagnostics.DiagnosisAssert;
using static Sluice.Network.Tests.TestSupport.Net;

namespace Sluice.Network.Tests.Diagnostics;

public sealed class ForcedTunnelingDiagnosisTests
{
    private static DiagnosisScenario Tunnelled(params Model.Route[] extra)
    {
        var scenario = new DiagnosisScenario();
        scenario.RouteTables.Add(RouteTable("rt-compute", [Route("to-firewall", "0.0.0.0/0", NextHopType.VirtualAppliance, "10.0.3.4"), .. extra]));
        scenario.ReplaceSubnet("compute", s => s with { RouteTable = "rt-compute" });
        return scenario;
    }

    [Fact]
    public void DefaultRouteToAnAppliance_WithoutInternetRoutesForManagement_IsAnError()
    {
        var diagnosis = Tunnelled().Diagnose();

        Finding(diagnosis, DiagnosisGroup.UserDefinedRoutes, DiagnosisCodes.ForcedTunnelingWithoutInternetForManagement, FindingLevel.Error,
            "user route 'to-firewall'", "BatchNodeManagement.WestEurope", "AzureMachineLearning", "next hop type Internet", "asymmetric");
        Assert.Equal("route_table:rt-compute", Single(diagnosis, DiagnosisGroup.UserDefinedRoutes, DiagnosisCodes.ForcedTunnelingWithoutInternetForManagement).Resource);
    }

    [Fact]
    public void InternetRoutesForTheManagementTags_ResolveIt_AndTheRestIsLeftToTheAppliance()
    {
        var diagnosis = Tunnelled(
            Route("batch", "BatchNodeManagement.WestEurope", NextHopType.Internet),
            Route("aml", "AzureMachineLearning", NextHopType.Internet)).Diagnose();

        NoFinding(diagnosis, DiagnosisCodes.ForcedTunnelingWithoutInternetForManagement);
        Finding(diagnosis, DiagnosisGroup.UserDefinedRoutes, DiagnosisCodes.RequiredOutboundViaAppliance, FindingLevel.Information,
            "virtual appliance at 10.0.3.4", "Storage.WestEurope", "AzureResourceManager");
    }

    [Fact]
    public void NatGateway_DoesNotExemptManagementTrafficFromTheDefaultRoute()
    {
        var scenario = Tunnelled();
        scenario.NatGateways.Add(new NatGateway { Name = "nat", PublicIpAddresses = ["52.20.0.1"] });
        scenario.ReplaceSubnet("compute", s => s with { NatGateway = "nat" });

        Finding(scenario.Diagnose(), DiagnosisGroup.UserDefinedRoutes, DiagnosisCodes.ForcedTunnelingWithoutInternetForManagement, FindingLevel.Error, "NAT gateway nat on the subnet does not help");
    }

    [Fact]
    public void ComputeWithoutPublicIp_BehindTheAppliance_IsAWarning()
    {
        var scenario = Tunnelled();
        scenario.Compute = scenario.Compute with { EnableNodePublicIp = false };

        Finding(scenario.Diagnose(), DiagnosisGroup.UserDefinedRoutes, DiagnosisCodes.ForcedTunnelingWithoutInternetForManagement, FindingLevel.Warning, "the appliance must let this traffic out");
    }

    [Fact]
    public void DefaultRouteWithManagementTagsNotLoaded_WarnsThatItCannotTell()
    {
        var scenario = Tunnelled();
        scenario.Tags.RemoveAll(t => t.Name.StartsWith("BatchNodeManagement", StringComparison.Ordinal) || t.Name == "AzureMachineLearning");
        scenario.ComputeRules.RemoveRange(0, 2);

        Finding(scenario.Diagnose(), DiagnosisGroup.UserDefinedRoutes, DiagnosisCodes.ForcedTunnelingWithoutInternetForManagement, FindingLevel.Warning, "not loaded", "to-firewall");
    }

    [Fact]
    public void SluiceRules_DoNotRequireAzureManagementRoutes()
    {
        NoFinding(Tunnelled().Diagnose(DiagnosisRules.Sluice), DiagnosisCodes.ForcedTunnelingWithoutInternetForManagement);
    }
}
