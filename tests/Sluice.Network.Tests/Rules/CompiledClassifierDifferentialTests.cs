using Sluice.Network.Addressing;
using Sluice.Network.Model;
using Sluice.Network.Rules;
using Sluice.Network.Tags;
using Sluice.Network.Tests.TestSupport;

namespace Sluice.Network.Tests.Rules;

/// <summary>The compiled classifier must pick exactly the rule the linear reference picks, for every flow.</summary>
public sealed class CompiledClassifierDifferentialTests
{
    [Theory]
    [InlineData(1, 40)]
    [InlineData(2, 200)]
    [InlineData(3, 1000)]
    public void RandomGroups_CompiledAndLinearEvaluation_AgreeOnEveryFlow(int seed, int rules)
    {
        var generator = new RuleGenerator(seed);
        var model = generator.Model(groupCount: 2, rulesPerGroup: rules);
        var resolver = new AddressResolver(model);
        var scope = new AddressScope("test", "test", AddressSet.FromPrefixes([IpPrefix.Parse("10.0.0.0/16"), IpPrefix.Parse("fd00:1::/48"), WellKnownServiceTags.HostVirtualIp]));
        var flows = generator.Flows(5000);
        var compared = 0;
        foreach (var group in model.NetworkSecurityGroups)
        {
            foreach (var direction in new[] { SecurityRuleDirection.Inbound, SecurityRuleDirection.Outbound })
            {
                var compiled = CompiledRuleSet.Compile(group, direction, scope, resolver);
                var linear = LinearRuleEvaluator.Create(group, direction, scope, resolver);
                Assert.Equal(linear.RuleCount, compiled.Rules.Length);
                foreach (var flow in flows)
                {
                    var expected = flow.Linear(linear);
                    var actual = compiled.Classifier.Match(flow.Key);
                    Assert.True(expected == actual, $"{group.Name} {direction} {flow}: linear picked {linear.RuleName(expected)}, compiled picked {compiled.Rules[actual].Name}");
                    compared++;
                }
            }
        }

        Assert.Equal(2 * 2 * 5000, compared);
    }

    [Fact]
    public void RandomGroups_CompiledRulesAreNotAllDefault_SoTheComparisonIsMeaningful()
    {
        var generator = new RuleGenerator(7);
        var model = generator.Model(groupCount: 1, rulesPerGroup: 300);
        var compiled = CompiledRuleSet.Compile(model.NetworkSecurityGroups[0], SecurityRuleDirection.Inbound, AddressScope.Unassociated, new AddressResolver(model));

        var decided = generator.Flows(3000).Select(f => compiled.Classifier.Match(f.Key)).Distinct().Count();

        Assert.True(decided > 50, $"only {decided} distinct rules decided 3000 flows");
    }
}
