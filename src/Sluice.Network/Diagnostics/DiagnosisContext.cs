using System.Net;
using Sluice.Network.Addressing;
using Sluice.Network.Model;
using Sluice.Network.Tags;
using Sluice.Network.Verification;

namespace Sluice.Network.Diagnostics;

/// <summary>A service tag as a check uses it: the name rules should name, and addresses to evaluate flows with.</summary>
internal sealed record ResolvedTag(string Name, IReadOnlyList<IPAddress> Samples)
{
    public IPAddress Sample => Samples[0];
}

/// <summary>Everything the checks share: the networks, the input, tag lookup and the findings collected so far.</summary>
internal sealed class DiagnosisContext
{
    private readonly Dictionary<DiagnosisGroup, List<DiagnosisFinding>> _findings = Enum.GetValues<DiagnosisGroup>().ToDictionary(g => g, _ => new List<DiagnosisFinding>());
    private readonly HashSet<(string Code, string? Resource)> _once = [];

    public DiagnosisContext(CompiledNetwork network, WorkspaceDiagnosisInput input, DiagnosisRules rules)
    {
        Network = network;
        Probed = network;
        Input = input;
        Rules = rules;
    }

    /// <summary>The caller's network: routes, next hops and effective rules.</summary>
    public CompiledNetwork Network { get; }

    /// <summary>The same network with an interface per compute subnet, to verify the flows of nodes (see <see cref="ProbeNetwork"/>).</summary>
    public CompiledNetwork Probed { get; set; }

    public NetworkModel Model => Network.Model;

    public WorkspaceDiagnosisInput Input { get; }

    public WorkspaceFacts Workspace => Input.Workspace;

    public DiagnosisRules Rules { get; }

    public bool IsPrivateWorkspace => Workspace.PublicNetworkAccess == PublicNetworkAccess.Disabled;

    /// <summary>The computes whose subnet exists in the model, in input order.</summary>
    public List<ComputePlacement> Placements { get; } = [];

    /// <summary>Verdicts towards services' private endpoints, per compute and service (see <see cref="ServiceAccess.Of"/>).</summary>
    public Dictionary<(ComputePlacement Placement, string Service), ServiceAccess> AccessCache { get; } = [];

    public void Report(DiagnosisGroup group, string code, FindingLevel level, string? resource, string message) =>
        _findings[group].Add(new DiagnosisFinding { Code = code, Level = level, Resource = resource, Message = message });

    public bool HasFinding(string code, string? resource) =>
        _findings.Values.Any(list => list.Exists(f => f.Code == code && string.Equals(f.Resource, resource, StringComparison.OrdinalIgnoreCase)));

    /// <summary>Reports a finding only the first time its code and resource are seen (e.g. a missing tag that many checks need).</summary>
    public void ReportOnce(DiagnosisGroup group, string code, FindingLevel level, string? resource, string message)
    {
        if (_once.Add((code, resource?.ToLowerInvariant())))
        {
            Report(group, code, level, resource, message);
        }
    }

    public WorkspaceDiagnosis ToDiagnosis() => new()
    {
        Workspace = Workspace.Name,
        Rules = Rules,
        UserDefinedRoutes = [.. _findings[DiagnosisGroup.UserDefinedRoutes]],
        NetworkSecurityRules = [.. _findings[DiagnosisGroup.NetworkSecurityRules]],
        DnsResolution = [.. _findings[DiagnosisGroup.DnsResolution]],
        StorageAccount = [.. _findings[DiagnosisGroup.StorageAccount]],
        KeyVault = [.. _findings[DiagnosisGroup.KeyVault]],
        ContainerRegistry = [.. _findings[DiagnosisGroup.ContainerRegistry]],
        Other = [.. _findings[DiagnosisGroup.Other]],
    };

    /// <summary>
    /// The regional tag (<c>Storage.WestEurope</c> for <c>westeurope</c>) when it is loaded, else the global one; null
    /// (after reporting <see cref="DiagnosisCodes.ServiceTagNotLoaded"/> once) when neither has IPv4 addresses.
    /// </summary>
    public ResolvedTag? RegionalTag(string baseName, string location, string purpose)
    {
        var region = Normalize(location);
        var regional = Model.ServiceTags.Tags.FirstOrDefault(t =>
            t.Name.StartsWith($"{baseName}.", StringComparison.OrdinalIgnoreCase) &&
            (Normalize(t.Name[(baseName.Length + 1)..]) == region || (t.Region is not null && Normalize(t.Region) == region)));
        return (regional is null ? null : Resolve(regional)) ?? Tag(baseName, purpose, $"{baseName}.{location}");
    }

    /// <summary>The tag when it is loaded with IPv4 addresses; otherwise reports it (once) and returns null.</summary>
    public ResolvedTag? Tag(string name, string purpose, string? preferredName = null)
    {
        if (Model.ServiceTags.TryGetTag(name, out var tag) && Resolve(tag) is { } resolved)
        {
            return resolved;
        }

        var shown = preferredName is null ? name : $"{preferredName} (or {name})";
        var howTo = string.Equals(name, SluiceServiceTags.ControlPlane, StringComparison.OrdinalIgnoreCase)
            ? $"Configure the control plane's addresses so that the {SluiceServiceTags.ControlPlane} tag is defined, then run diagnose again."
            : "Import Azure's published service tags (the ServiceTags_Public_<date>.json file) with 'sluice network service-tag import -f <file>', then run diagnose again.";
        ReportOnce(
            DiagnosisGroup.NetworkSecurityRules,
            DiagnosisCodes.ServiceTagNotLoaded,
            FindingLevel.Warning,
            $"service_tag:{name}",
            $"Service tag {shown} is not loaded (or has no IPv4 addresses), so traffic for {purpose} could not be checked. {howTo}");
        return null;
    }

    public StorageAccountFacts? FindStorageAccount(string? name) => Find(Input.StorageAccounts, name);

    public SecretStoreFacts? FindSecretStore(string? name) => Find(Input.SecretStores, name);

    public RegistryFacts? FindRegistry(string? name) => Find(Input.Registries, name);

    /// <summary>
    /// The private endpoints to a resource's sub-resources. Endpoints are matched by target name and group id (the group
    /// id says which kind of resource it is), so the target's kind may be written the Azure or the Sluice way.
    /// </summary>
    public IEnumerable<PrivateEndpoint> EndpointsTo(string target, params PrivateEndpointGroupId[] groups) =>
        Model.PrivateEndpoints.Where(e => string.Equals(e.Target.Name, target, StringComparison.OrdinalIgnoreCase) && groups.Contains(e.GroupId));

    /// <summary>The engine's verdict, or null when the engine cannot evaluate the flow (the reason is in <paramref name="error"/>).</summary>
    public FlowVerdict? Verify(FlowRequest request, out string? error)
    {
        try
        {
            error = null;
            return Probed.Verify(request);
        }
        catch (NetworkException exception)
        {
            error = exception.Message;
            return null;
        }
    }

    public FlowVerdict? VerifyFrom(ComputePlacement placement, IPAddress destination, FlowProtocol protocol, int port) =>
        placement.Probe is null ? null : Verify(new FlowRequest
        {
            SourceNetworkInterface = placement.Probe,
            DestinationAddress = destination,
            Protocol = protocol,
            DestinationPort = port,
        }, out _);

    public FlowVerdict? VerifyTo(ComputePlacement placement, IPAddress source, FlowProtocol protocol, int port) =>
        placement.Probe is null ? null : Verify(new FlowRequest
        {
            SourceAddress = source,
            DestinationAddress = placement.ProbeAddress!,
            DestinationNetworkInterface = placement.Probe,
            Protocol = protocol,
            DestinationPort = port,
        }, out _);

    /// <summary>Regions compare equal ignoring case and spaces (<c>West Europe</c> is <c>westeurope</c>).</summary>
    public static string Normalize(string region) => region.Replace(" ", string.Empty, StringComparison.Ordinal).ToLowerInvariant();

    public static bool SameRegion(string a, string b) => Normalize(a) == Normalize(b);

    private static T? Find<T>(IReadOnlyList<T> items, string? name)
        where T : ServiceResourceFacts =>
        name is null ? null : items.FirstOrDefault(i => string.Equals(i.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Up to three IPv4 addresses spread over the tag's prefixes: a rule that covers only part of the tag is likely caught.</summary>
    private static ResolvedTag? Resolve(ServiceTag tag)
    {
        var v4 = tag.AddressPrefixes.Where(p => p.Family == IpFamily.IPv4).ToList();
        if (v4.Count == 0)
        {
            return null;
        }

        var samples = new[] { 0, v4.Count / 2, v4.Count - 1 }.Distinct().Select(i => v4[i].NetworkAddress).Distinct().ToList();
        return new ResolvedTag(tag.Name, samples);
    }
}
