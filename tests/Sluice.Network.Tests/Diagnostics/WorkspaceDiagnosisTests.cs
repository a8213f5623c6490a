using Sluice.Network.Diagnostics;
using static Sluice.Network.Tests.Diagnostics.DiagnosisAssert;

namespace Sluice.Network.Tests.Diagnostics;

public sealed class WorkspaceDiagnosisTests
{
    [Fact]
    public void PrivateWorkspace_ConfiguredAsAzureDocuments_HasNoFindings() => Clean(new DiagnosisScenario().Diagnose());

    [Fact]
    public void SluiceDeployment_WithControlPlaneAndDatastoresReachable_HasNoFindings() => Clean(new DiagnosisScenario().Diagnose(DiagnosisRules.Sluice));

    [Fact]
    public void Diagnose_TwiceOnTheSameInput_GivesTheSameFindingsInTheSameOrder()
    {
        var scenario = new DiagnosisScenario();
        scenario.Endpoints.Clear();
        scenario.ComputeRules.Clear();
        var (network, input) = scenario.Build();

        var first = WorkspaceDiagnostics.Diagnose(network, input).AllFindings().ToList();
        var second = WorkspaceDiagnostics.Diagnose(network, input).AllFindings().ToList();

        Assert.NotEmpty(first);
        Assert.Equal(first, second);
    }

    [Fact]
    public void Diagnosis_NamesTheWorkspaceAndRules_AndReportsGroupsAsLists()
    {
        var scenario = new DiagnosisScenario();
        scenario.RemoveEndpoint("pe-queue");

        var diagnosis = scenario.Diagnose();

        Assert.Equal(("ws", DiagnosisRules.Azure), (diagnosis.Workspace, diagnosis.Rules));
        Assert.True(diagnosis.HasErrors());
        Assert.Empty(diagnosis.UserDefinedRoutes);
        Assert.Equal(diagnosis.StorageAccount, diagnosis.Group(DiagnosisGroup.StorageAccount));
    }

    [Fact]
    public void EndpointCreatedWhileTheWorkspaceWasPublic_SuggestsRecreatingIt()
    {
        var scenario = new DiagnosisScenario();
        scenario.BatchEndpoints.Add(new BatchEndpointFacts { Name = "legacy", NetworkMode = EndpointNetworkMode.Public });

        var diagnosis = scenario.Diagnose();

        Finding(diagnosis, DiagnosisGroup.Other, DiagnosisCodes.EndpointNetworkModeDiffers, FindingLevel.Information, "legacy", "recreate");
        Assert.Equal("batch_endpoint:legacy", Single(diagnosis, DiagnosisGroup.Other, DiagnosisCodes.EndpointNetworkModeDiffers).Resource);
    }

    [Fact]
    public void EndpointMatchingTheWorkspaceMode_IsNotReported()
    {
        var scenario = new DiagnosisScenario { Workspace = new DiagnosisScenario().Workspace with { PublicNetworkAccess = PublicNetworkAccess.Enabled } };
        scenario.BatchEndpoints[0] = scenario.BatchEndpoints[0] with { NetworkMode = EndpointNetworkMode.Public };

        NoFinding(scenario.Diagnose(), DiagnosisCodes.EndpointNetworkModeDiffers);
    }
}
