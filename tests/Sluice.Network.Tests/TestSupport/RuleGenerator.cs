using System.Globalization;
using Sluice.Network.Addressing;
using Sluice.Network.Model;
using Sluice.Network.Rules;
using Sluice.Network.Tags;
using Sluice.Network.Verification;

namespace Sluice.Network.Tests.TestSupport;

/// <summary>A flow for the classifier and for the linear reference, which take it in different shapes.</summary>
internal readonly record struct FlowSample(FlowKey Key, FlowProtocol Protocol)
{
    public int Linear(LinearRuleEvaluator linear) =>
        linear.Match(Key.Family, Key.Source, Key.Destination, Protocol, Key.SourcePort, Key.DestinationPort);
}

/// <summary>
/// Generates realistic security groups from a fixed seed: a mix of service tags (computed, published, regional),
/// application security groups, CIDR lists of both families, single ports, ranges and lists, every protocol. Flows
/// are drawn near rule boundaries (first and last addresses and ports of rules, and their neighbours) so that
/// comparisons exercise the edges of every elementary interval. Shared by the differential test and the benchmark.
/// </summary>
internal sealed class RuleGenerator(int seed)
{
    private static readonly string[] Tags = ["VirtualNetwork", "Internet", "AzureLoadBalancer", "Storage", "Storage.WestEurope", "AzureCloud", "SluiceControlPlane"];
    private static readonly string[] Groups = ["asg-web", "asg-logic", "asg-db"];
    private readonly Random _random = new(seed);
    private readonly List<IpPrefix> _usedPrefixes = [];
    private readonly List<int> _usedPorts = [0, 65535];
    private readonly List<Shape> _shapes = [];
    private readonly Dictionary<string, List<IpPrefix>> _tagPrefixes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["VirtualNetwork"] = [IpPrefix.Parse("10.0.0.0/16"), IpPrefix.Parse("fd00:1::/48")],
        ["Internet"] = [IpPrefix.Parse("20.0.0.0/8"), IpPrefix.Parse("52.0.0.0/8"), IpPrefix.Parse("2603:1000::/24")],
        ["AzureLoadBalancer"] = [IpPrefix.Parse("168.63.129.16/32")],
        ["SluiceControlPlane"] = [IpPrefix.Parse("10.200.0.0/24"), IpPrefix.Parse("fd00:200::/64")],
    };

    /// <summary>What a generated rule matches, as prefixes and port ranges to draw flows from.</summary>
    private sealed record Shape(List<IpPrefix> Sources, List<IpPrefix> Destinations, SecurityRuleProtocol Protocol, List<(int Start, int End)> SourcePorts, List<(int Start, int End)> DestinationPorts);

    /// <summary>A dual-stack network with one subnet per group (each group on its subnet) and interfaces in the ASGs.</summary>
    public NetworkModel Model(int groupCount, int rulesPerGroup)
    {
        var tags = ServiceTagSet.Default
            .With(
            [
                Tag("Storage", 300),
                Tag("Storage.WestEurope", 40),
                Tag("AzureCloud", 800),
            ])
            .With(SluiceServiceTags.Create(["10.200.0.0/24", "fd00:200::/64"], ["10.201.0.0/24"]));
        var builder = NetworkModel.CreateBuilder().WithServiceTags(tags);
        var subnets = Enumerable.Range(0, groupCount)
            .Select(i => new Subnet { Name = $"s{i}", AddressPrefixes = [$"10.0.{i}.0/24", $"fd00:1:0:{i:x}::/64"], NetworkSecurityGroup = $"nsg-{i}" })
            .ToList();
        builder.Add(new VirtualNetwork { Name = "vnet", Location = "westeurope", AddressSpace = ["10.0.0.0/16", "fd00:1::/48"], Subnets = subnets });
        foreach (var group in Groups)
        {
            builder.Add(new ApplicationSecurityGroup { Name = group });
        }

        for (var i = 0; i < groupCount * 3; i++)
        {
            builder.Add(new NetworkInterface
            {
                Name = $"nic-{i}",
                VirtualNetwork = "vnet",
                Subnet = $"s{i % groupCount}",
                PrivateIpAddress = $"10.0.{i % groupCount}.{10 + (i / groupCount)}",
                SecondaryPrivateIpAddresses = [$"fd00:1:0:{i % groupCount:x}::{10 + (i / groupCount):x}"],
                ApplicationSecurityGroups = [Groups[i % Groups.Length]],
            });
        }

        for (var g = 0; g < groupCount; g++)
        {
            builder.Add(new NetworkSecurityGroup { Name = $"nsg-{g}", Location = "westeurope", SecurityRules = Rules(rulesPerGroup) });
        }

        return builder.Build();
    }

    public List<SecurityRule> Rules(int count)
    {
        var inbound = count * 4 / 5;
        List<SecurityRule> rules = [];
        for (var i = 0; i < count; i++)
        {
            var isInbound = i < inbound;
            var priority = 100 + ((isInbound ? i : i - inbound) * 3) + _random.Next(3);
            var (sources, sourceGroups) = Side(starShare: 15);
            var (destinations, destinationGroups) = Side(starShare: 4);
            var rule = new SecurityRule
            {
                Name = $"rule-{i}",
                Priority = priority,
                Direction = isInbound ? SecurityRuleDirection.Inbound : SecurityRuleDirection.Outbound,
                Access = _random.Next(3) == 0 ? SecurityRuleAccess.Deny : SecurityRuleAccess.Allow,
                Protocol = Pick(SecurityRuleProtocol.Tcp, SecurityRuleProtocol.Tcp, SecurityRuleProtocol.Tcp, SecurityRuleProtocol.Udp, SecurityRuleProtocol.Any, SecurityRuleProtocol.Any, SecurityRuleProtocol.Icmp, SecurityRuleProtocol.Esp),
                SourceAddressPrefixes = sources,
                SourceApplicationSecurityGroups = sourceGroups,
                DestinationAddressPrefixes = destinations,
                DestinationApplicationSecurityGroups = destinationGroups,
                SourcePortRanges = _random.Next(5) == 0 ? Ports() : ["*"],
                DestinationPortRanges = Ports(),
            };
            rules.Add(rule);
            _shapes.Add(new Shape(Prefixes(sources, sourceGroups), Prefixes(destinations, destinationGroups), rule.Protocol, Ranges(rule.SourcePortRanges), Ranges(rule.DestinationPortRanges)));
        }

        return rules;
    }

    /// <summary>
    /// Flows aimed at a random rule (inside its addresses and ports, or just past their edges), plus random flows
    /// near any boundary the rules use.
    /// </summary>
    public List<FlowSample> Flows(int count)
    {
        List<FlowSample> flows = [];
        for (var i = 0; i < count; i++)
        {
            flows.Add(_shapes.Count > 0 && _random.Next(10) < 7 ? Aimed(_shapes[_random.Next(_shapes.Count)]) : Scattered());
        }

        return flows;
    }

    private FlowSample Scattered()
    {
        var family = _random.Next(5) == 0 ? IpFamily.IPv6 : IpFamily.IPv4;
        var protocol = Pick(FlowProtocol.Tcp, FlowProtocol.Tcp, FlowProtocol.Tcp, FlowProtocol.Udp, FlowProtocol.Udp, FlowProtocol.Icmp, FlowProtocol.Esp, FlowProtocol.Ah);
        return new FlowSample(FlowKey.Create(family, Address(family), Address(family), protocol, Port(), Port()), protocol);
    }

    private FlowSample Aimed(Shape shape)
    {
        var family = _random.Next(5) == 0 ? IpFamily.IPv6 : IpFamily.IPv4;
        var protocol = shape.Protocol == SecurityRuleProtocol.Any
            ? Pick(FlowProtocol.Tcp, FlowProtocol.Udp, FlowProtocol.Icmp, FlowProtocol.Ah)
            : (FlowProtocol)(int)shape.Protocol;
        return new FlowSample(
            FlowKey.Create(family, Inside(shape.Sources, family), Inside(shape.Destinations, family), protocol, Inside(shape.SourcePorts), Inside(shape.DestinationPorts)),
            protocol);
    }

    private UInt128 Inside(List<IpPrefix> prefixes, IpFamily family)
    {
        var candidates = prefixes.Where(p => p.Family == family).ToList();
        return candidates.Count == 0 ? Address(family) : Near(candidates[_random.Next(candidates.Count)], family);
    }

    private int Inside(List<(int Start, int End)> ranges)
    {
        var (start, end) = ranges[_random.Next(ranges.Count)];
        var port = _random.Next(4) switch
        {
            0 => start - 1,
            1 => end + 1,
            2 => start,
            _ => _random.Next(start, end + 1),
        };
        return Math.Clamp(port, 0, 65535);
    }

    private List<IpPrefix> Prefixes(string[] entries, string[] groups)
    {
        List<IpPrefix> prefixes = [];
        foreach (var entry in entries)
        {
            if (entry == "*")
            {
                prefixes.AddRange([IpPrefix.AnyIPv4, IpPrefix.AnyIPv6]);
            }
            else if (_tagPrefixes.TryGetValue(entry, out var tagged))
            {
                prefixes.AddRange(tagged);
            }
            else
            {
                prefixes.Add(IpPrefix.Parse(entry));
            }
        }

        if (groups.Length > 0)
        {
            prefixes.AddRange([IpPrefix.Parse("10.0.0.0/24"), IpPrefix.Parse("fd00:1::/64")]);
        }

        return prefixes;
    }

    private static List<(int Start, int End)> Ranges(IReadOnlyList<string> texts) =>
        [.. texts.Select(PortRange.Parse).Select(r => (r.Start, r.End))];

    private (string[] Prefixes, string[] Groups) Side(int starShare)
    {
        var roll = _random.Next(100);
        if (roll < starShare)
        {
            return (["*"], []);
        }

        if (roll < 40)
        {
            return ([Tags[_random.Next(Tags.Length)]], []);
        }

        if (roll < 50)
        {
            return ([], [Groups[_random.Next(Groups.Length)]]);
        }

        var prefixes = Enumerable.Range(0, 1 + _random.Next(4)).Select(_ => RandomPrefix(_random.Next(6) == 0 ? IpFamily.IPv6 : IpFamily.IPv4)).ToList();
        _usedPrefixes.AddRange(prefixes);
        return ([.. prefixes.Select(p => p.ToString())], []);
    }

    private string[] Ports()
    {
        string Single()
        {
            var port = _random.Next(3) == 0 ? Pick(22, 80, 443, 1433, 3389, 5432, 8080, 8443) : _random.Next(1, 65536);
            _usedPorts.Add(port);
            return port.ToString(CultureInfo.InvariantCulture);
        }

        string Range()
        {
            var start = _random.Next(0, 65000);
            var end = Math.Min(65535, start + _random.Next(1, 5000));
            _usedPorts.Add(start);
            _usedPorts.Add(end);
            return $"{start}-{end}";
        }

        return _random.Next(10) switch
        {
            < 3 => ["*"],
            < 6 => [Single()],
            < 8 => [Range()],
            _ => [.. Enumerable.Range(0, 2 + _random.Next(4)).Select(_ => _random.Next(2) == 0 ? Single() : Range())],
        };
    }

    private ServiceTag Tag(string name, int prefixes)
    {
        var list = Enumerable.Range(0, prefixes).Select(_ => RandomPrefix(_random.Next(5) == 0 ? IpFamily.IPv6 : IpFamily.IPv4, publicOnly: true)).ToList();
        _usedPrefixes.AddRange(list);
        _tagPrefixes[name] = list;
        return new ServiceTag { Name = name, AddressPrefixes = list, Origin = ServiceTagOrigin.AzurePublished };
    }

    private IpPrefix RandomPrefix(IpFamily family, bool publicOnly = false)
    {
        if (family == IpFamily.IPv4)
        {
            var pool = publicOnly ? Pick(20u, 40u, 52u, 13u, 104u) : Pick(10u, 10u, 172u, 192u, 20u, 52u, 203u);
            var address = pool << 24 | (uint)_random.Next(0, 1 << 24);
            if (pool == 10 && _random.Next(2) == 0)
            {
                address = (10u << 24) | (uint)_random.Next(0, 1 << 16);
            }

            var length = _random.Next(4) == 0 ? 32 : _random.Next(12, 31);
            return IpPrefix.FromBits(IpFamily.IPv4, address & ~(uint)IpAddressBits.HostMask(IpFamily.IPv4, length), length);
        }

        var high = publicOnly ? 0x2603_1000UL << 32 : Pick(0xfd00_0001UL << 32, 0x2603_1000UL << 32, 0x2001_0db8UL << 32);
        var value = ((UInt128)(high | (ulong)_random.NextInt64(0, 1L << 32)) << 64) | (ulong)_random.NextInt64();
        var v6Length = _random.Next(4) == 0 ? 128 : _random.Next(40, 97);
        return IpPrefix.FromBits(IpFamily.IPv6, value & ~IpAddressBits.HostMask(IpFamily.IPv6, v6Length), v6Length);
    }

    private UInt128 Address(IpFamily family)
    {
        var candidates = _usedPrefixes.Where(p => p.Family == family).ToList();
        if (candidates.Count == 0 || _random.Next(8) == 0)
        {
            return RandomPrefix(family).First;
        }

        return Near(candidates[_random.Next(candidates.Count)], family);
    }

    /// <summary>An address in the prefix, at its edges, or just outside them.</summary>
    private UInt128 Near(IpPrefix prefix, IpFamily family)
    {
        var max = IpAddressBits.Max(family);
        return _random.Next(6) switch
        {
            0 => prefix.First,
            1 => prefix.Last,
            2 => prefix.First == UInt128.Zero ? prefix.First : prefix.First - UInt128.One,
            3 => prefix.Last == max ? prefix.Last : prefix.Last + UInt128.One,
            _ => prefix.Last - prefix.First == UInt128.MaxValue
                ? ((UInt128)(ulong)_random.NextInt64() << 64) | (ulong)_random.NextInt64()
                : prefix.First + ((((UInt128)(ulong)_random.NextInt64() << 64) | (ulong)_random.NextInt64()) % (prefix.Last - prefix.First + UInt128.One)),
        };
    }

    private int Port()
    {
        var port = _usedPorts[_random.Next(_usedPorts.Count)] + _random.Next(-1, 2);
        return Math.Clamp(port, 0, 65535);
    }

    private T Pick<T>(params T[] values) => values[_random.Next(values.Length)];
}
