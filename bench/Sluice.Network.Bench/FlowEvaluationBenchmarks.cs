using BenchmarkDotNet.Attributes;
using Sluice.Network.Addressing;
using Sluice.Network.Model;
using Sluice.Network.Rules;
using Sluice.Network.Tags;
using Sluice.Network.Tests.TestSupport;

namespace Sluice.Network.Bench;

/// <summary>
/// One flow against ten security groups of 1,000 rules each (a seeded mix of service tags, application security
/// groups, CIDR lists of both families, port ranges and lists): the compiled bit-vector classifiers against the
/// linear scan in priority order. Each operation is one flow through all ten groups; the ratio column compares the
/// two in the same run.
/// </summary>
[MemoryDiagnoser]
public class FlowEvaluationBenchmarks
{
    private const int FlowCount = 4096;
    private CompiledRuleSet[] _compiled = [];
    private LinearRuleEvaluator[] _linear = [];
    private FlowSample[] _flows = [];

    [Params(1000)]
    public int RulesPerGroup { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var generator = new RuleGenerator(seed: 42);
        var model = generator.Model(groupCount: 10, RulesPerGroup);
        var resolver = new AddressResolver(model);
        var scope = Scope();
        _compiled = [.. model.NetworkSecurityGroups.Select(g => CompiledRuleSet.Compile(g, SecurityRuleDirection.Inbound, scope, resolver))];
        _linear = [.. model.NetworkSecurityGroups.Select(g => LinearRuleEvaluator.Create(g, SecurityRuleDirection.Inbound, scope, resolver))];
        _flows = [.. generator.Flows(FlowCount)];
        for (var i = 0; i < _flows.Length; i++)
        {
            for (var g = 0; g < _compiled.Length; g++)
            {
                if (_compiled[g].Classifier.Match(_flows[i].Key) != _flows[i].Linear(_linear[g]))
                {
                    throw new InvalidOperationException($"compiled and linear evaluation disagree on flow {i} in group {g}");
                }
            }
        }
    }

    internal static AddressScope Scope() =>
        new("bench", "bench", AddressSet.FromPrefixes([IpPrefix.Parse("10.0.0.0/16"), IpPrefix.Parse("fd00:1::/48"), WellKnownServiceTags.HostVirtualIp]));

    [Benchmark(Baseline = true, OperationsPerInvoke = FlowCount, Description = "Linear scan, 10 groups")]
    public int Linear()
    {
        var sum = 0;
        foreach (var flow in _flows)
        {
            foreach (var linear in _linear)
            {
                sum += flow.Linear(linear);
            }
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = FlowCount, Description = "Compiled, 10 groups")]
    public int Compiled()
    {
        var sum = 0;
        foreach (var flow in _flows)
        {
            foreach (var compiled in _compiled)
            {
                sum += compiled.Classifier.Match(flow.Key);
            }
        }

        return sum;
    }
}
