using System.Text.Json;
using System.Text.Json.Serialization;
using Sluice.Core.Yaml;

namespace Sluice.Core.Specs.Network;

/// <summary>A private endpoint (<c>az network private-endpoint</c>): a private address in a subnet for one service's sub-resource.</summary>
public sealed record PrivateEndpointSpec : NetworkResourceSpec
{
    public const string TypeName = "private_endpoint";


    public required SubnetReference Subnet { get; init; }

    /// <summary>The endpoint's addresses in the subnet; when empty the server assigns one (the lowest free address) and keeps it.</summary>
    public IReadOnlyList<string> PrivateIpAddresses { get; init; } = [];

    public required PrivateLinkServiceConnectionSpec PrivateLinkServiceConnection { get; init; }

    /// <summary>DNS records the endpoint publishes; empty means derived from the target (see <see cref="PrivateLinkDns"/>).</summary>
    public IReadOnlyList<DnsConfigSpec> CustomDnsConfigs { get; init; } = [];
}

public sealed record PrivateLinkServiceConnectionSpec
{
    public required PrivateLinkTarget Target { get; init; }

    /// <summary>The sub-resource: <c>amlworkspace</c>, <c>blob</c>, <c>file</c>, <c>queue</c>, <c>table</c>, <c>dfs</c>, <c>vault</c> or <c>registry</c>.</summary>
    public required string GroupId { get; init; }

    public PrivateLinkConnectionStatus Status { get; init; } = PrivateLinkConnectionStatus.Approved;
}

public sealed record DnsConfigSpec
{
    public required string Fqdn { get; init; }

    public IReadOnlyList<string> IpAddresses { get; init; } = [];
}

/// <summary>The resource a private endpoint connects to, written <c>&lt;kind&gt;:&lt;name&gt;</c>, e.g. <c>storage_account:mystorage</c>.</summary>
[JsonConverter(typeof(PrivateLinkTargetJsonConverter))]
public sealed record PrivateLinkTarget(PrivateLinkTargetKind Kind, string Name)
{
    /// <summary>The sub-resources (group ids) each kind offers, as Azure names them.</summary>
    public static IReadOnlyList<string> GroupIds(PrivateLinkTargetKind kind) => kind switch
    {
        PrivateLinkTargetKind.Workspace => ["amlworkspace"],
        PrivateLinkTargetKind.StorageAccount => ["blob", "file", "queue", "table", "dfs"],
        PrivateLinkTargetKind.SecretStore => ["vault"],
        PrivateLinkTargetKind.Registry => ["registry"],
        _ => [],
    };

    public ResourceKind ResourceKind => Kind switch
    {
        PrivateLinkTargetKind.Workspace => ResourceKind.Workspace,
        PrivateLinkTargetKind.StorageAccount => ResourceKind.StorageAccount,
        PrivateLinkTargetKind.SecretStore => ResourceKind.SecretStore,
        _ => ResourceKind.Registry,
    };

    public override string ToString() => $"{EnumNames<PrivateLinkTargetKind>.ToName(Kind)}:{Name}";
}

internal sealed class PrivateLinkTargetJsonConverter : JsonConverter<PrivateLinkTarget>
{
    public override PrivateLinkTarget Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString() ?? string.Empty;
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && EnumNames<PrivateLinkTargetKind>.TryParse(text[..colon], out var kind)
            ? new PrivateLinkTarget(kind, text[(colon + 1)..])
            : throw new JsonException($"'{text}' is not <kind>:<name>");
    }

    public override void Write(Utf8JsonWriter writer, PrivateLinkTarget value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}
