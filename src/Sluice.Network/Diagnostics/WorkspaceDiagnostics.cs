using Sluice.Network.Verification;

namespace Sluice.Network.Diagnostics;

/// <summary>
/// <c>sluice workspace diagnose</c>: checks a workspace's network against Azure Machine Learning's documented
/// requirements or Sluice's own, and reports what is wrong and how to fix it, grouped as Azure's workspace diagnostics
/// groups it. Pure: the same network and input always give the same findings in the same order.
/// </summary>
/// <remarks>
/// Every traffic question goes to the engine: flows are verified with <see cref="CompiledNetwork.Verify"/> from an
/// interface standing for a node in each compute's subnet (the model is compiled once more with those interfaces added,
/// see <see cref="ProbeNetwork"/>), next hops and effective routes come from <see cref="CompiledNetwork.NextHop(string, string, System.Net.IPAddress)"/>
/// and <see cref="CompiledNetwork.EffectiveRoutes"/>. Flows to or from a service tag are evaluated with up to three
/// addresses spread over the tag's IPv4 prefixes.
/// </remarks>
public static class WorkspaceDiagnostics
{
    public static WorkspaceDiagnosis Diagnose(CompiledNetwork network, WorkspaceDiagnosisInput input, DiagnosisRules rules = DiagnosisRules.Azure)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(input.Workspace);
        var context = new DiagnosisContext(network, input, rules);
        ComputeChecks.Place(context);
        context.Probed = ProbeNetwork.Create(network, context.Placements);
        PrivateLinkChecks.Check(context);
        DnsChecks.Check(context);
        ComputeChecks.Check(context);
        KubernetesChecks.Check(context);
        NodeTrafficChecks.Check(context);
        FirewallChecks.Check(context);
        EndpointChecks.Check(context);
        return context.ToDiagnosis();
    }
}
