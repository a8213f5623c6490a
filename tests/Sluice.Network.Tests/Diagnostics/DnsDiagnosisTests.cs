using Sluice.Network.Diagnostics;
using Sluice.Network.Model;
using static Sluice.Network.Tests.Diagnostics.DiagnosisAssert;

namespace Sluice.Network.Tests.Diagnostics;

public sealed class DnsDiagnosisTests
{
    [Fact]
    public void EndpointWithoutDnsRecords_WarnsWithTheRecordsToCreate()
    {
        var scenario = new DiagnosisScenario();
        scenario.ReplaceEndpoint("pe-blob", e => e with { Fqdns = [] });

        var diagnosis = scenario.Diagnose();

        Finding(diagnosis, DiagnosisGroup.DnsResolution, DiagnosisCodes.PrivateEndpointDnsRecordsMissing, FindingLevel.Warning,
            "publishes no DNS records", "wsstore.blob.core.windows.net -> 10.0.2.5", "privatelink.blob.core.windows.net");
        Assert.Equal("private_endpoint:pe-blob", Single(diagnosis, DiagnosisGroup.DnsResolution, DiagnosisCodes.PrivateEndpointDnsRecordsMissing).Resource);
    }

    [Fact]
    public void RegistryEndpoint_MissingItsDataEndpointName_Warns()
    {
        var scenario = new DiagnosisScenario();
        scenario.ReplaceEndpoint("pe-acr", e => e with { Fqdns = ["wsacr.azurecr.io"] });

        Finding(scenario.Diagnose(), DiagnosisGroup.DnsResolution, DiagnosisCodes.PrivateEndpointDnsRecordsMissing, FindingLevel.Warning, "wsacr.westeurope.data.azurecr.io");
    }

    [Fact]
    public void EndpointAnsweringForThePrivatelinkAlias_IsEnough()
    {
        var scenario = new DiagnosisScenario();
        scenario.ReplaceEndpoint("pe-vault", e => e with { Fqdns = ["wskv.privatelink.vaultcore.azure.net"] });

        NoFinding(scenario.Diagnose(), DiagnosisCodes.PrivateEndpointDnsRecordsMissing);
    }

    [Fact]
    public void TwoEndpointsAnsweringForOneName_Conflict()
    {
        var scenario = new DiagnosisScenario();
        scenario.Endpoints.Add(DiagnosisScenario.Endpoint("pe-blob-2", "wsstore", PrivateEndpointGroupId.Blob, "10.0.2.30", "wsstore.blob.core.windows.net"));

        Finding(scenario.Diagnose(), DiagnosisGroup.DnsResolution, DiagnosisCodes.PrivateEndpointDnsConflict, FindingLevel.Warning, "pe-blob (vnet, 10.0.2.5) and pe-blob-2 (vnet, 10.0.2.30)", "wsstore.blob.core.windows.net");
    }
}
