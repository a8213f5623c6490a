using System.Net;
using System.Text;
using BenchmarkDotNet.Attributes;
using Sluice.Network.Model;
using Sluice.Network.Rules;
using Sluice.Network.Tags;
using Sluice.Network.Tests.TestSupport;
using Sluice.Network.Verification;

namespace Sluice.Network.Bench;

/// <summary>What compilation, linting, an end-to-end verification and service tag loading cost.</summary>
[MemoryDiagnoser]
public class CompileBenchmarks
{
    private NetworkModel _model = null!;
    private AddressResolver _resolver = null!;
    private CompiledNetwork _network = null!;
    private byte[] _serviceTags = [];

    [GlobalSetup]
    public void Setup()
    {
        _model = new RuleGenerator(seed: 42).Model(groupCount: 10, rulesPerGroup: 1000);
        _resolver = new AddressResolver(_model);
        _network = _model.Compile();
        _serviceTags = Encoding.UTF8.GetBytes(ServiceTagFileSample.Json(tags: 3000, prefixesPerTag: 50));
    }

    [Benchmark(Description = "Compile 10 groups x 1,000 rules, both directions")]
    public int CompileGroups()
    {
        var scope = FlowEvaluationBenchmarks.Scope();
        var total = 0;
        foreach (var group in _model.NetworkSecurityGroups)
        {
            total += CompiledRuleSet.Compile(group, SecurityRuleDirection.Inbound, scope, _resolver).Rules.Length;
            total += CompiledRuleSet.Compile(group, SecurityRuleDirection.Outbound, scope, _resolver).Rules.Length;
        }

        return total;
    }

    [Benchmark(Description = "Compile the whole network (10 subnets, routes, 30 interfaces)")]
    public CompiledNetwork CompileNetwork() => _model.Compile();

    [Benchmark(Description = "Verify one flow end to end, with explanation")]
    public FlowVerdict VerifyFlow() => _network.Verify(new FlowRequest
    {
        SourceNetworkInterface = "nic-3",
        DestinationAddress = IPAddress.Parse("10.0.7.12"),
        DestinationPort = 443,
    });

    [Benchmark(Description = "Lint one group of 1,000 rules")]
    public int LintGroup() => _network.Lint("nsg-0").Findings.Count;

    [Benchmark(Description = "Read a service tags file of 3,000 tags x 50 prefixes")]
    public int ReadServiceTags() => ServiceTagFileReader.Read(new MemoryStream(_serviceTags)).Tags.Count;
}

/// <summary>A file in the shape of Azure's published service tags, sized like the real one or larger.</summary>
internal static class ServiceTagFileSample
{
    public static string Json(int tags, int prefixesPerTag)
    {
        var json = new StringBuilder("{\"changeNumber\":1,\"cloud\":\"Public\",\"values\":[");
        for (var i = 0; i < tags; i++)
        {
            json.Append(i == 0 ? string.Empty : ",")
                .Append("{\"name\":\"Service").Append(i).Append(".Region").Append(i % 60)
                .Append("\",\"id\":\"x\",\"properties\":{\"changeNumber\":3,\"region\":\"region").Append(i % 60)
                .Append("\",\"regionId\":1,\"platform\":\"Azure\",\"systemService\":\"Service").Append(i).Append("\",\"addressPrefixes\":[");
            for (var p = 0; p < prefixesPerTag; p++)
            {
                json.Append(p == 0 ? string.Empty : ",");
                if (p % 4 == 3)
                {
                    json.Append("\"2603:10").Append(10 + (i % 80)).Append(':').Append(p).Append("::/48\"");
                }
                else
                {
                    json.Append('"').Append(20 + (i % 100)).Append('.').Append(i % 250).Append('.').Append(p).Append(".0/24\"");
                }
            }

            json.Append("],\"networkFeatures\":[\"API\",\"NSG\",\"UDR\",\"FW\"]}}");
        }

        return json.Append("]}").ToString();
    }
}
