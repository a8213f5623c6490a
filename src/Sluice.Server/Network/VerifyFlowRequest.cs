using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Sluice.Network.Addressing;
using Sluice.Server.Api;

namespace Sluice.Server.Network;

public enum FlowDirection
{
    Outbound,
    Inbound,
}

/// <summary>The body of <c>POST /workspaces/{ws}/network/verify-flow</c>: one flow to follow through the network.</summary>
public sealed record VerifyFlowRequest
{
    /// <summary>A network interface, <c>&lt;compute&gt;/&lt;node&gt;</c>, or an IP address (outside the networks: an external source).</summary>
    [JsonPropertyName("source")]
    public required string Source { get; init; }

    /// <summary>An IP address, <c>nic:NAME</c>, <c>private-endpoint:NAME</c>, <c>storage-account:NAME[:group]</c>, <c>secret-store:NAME</c>, <c>registry:NAME</c>, <c>workspace:NAME</c> or a host name.</summary>
    [JsonPropertyName("destination")]
    public required string Destination { get; init; }

    /// <summary>Required for Tcp and Udp, except towards a service (443).</summary>
    [JsonPropertyName("destination_port")]
    public int? DestinationPort { get; init; }

    /// <summary><c>Tcp</c> (default), <c>Udp</c>, <c>Icmp</c>, <c>Esp</c> or <c>Ah</c>.</summary>
    [JsonPropertyName("protocol")]
    public string? Protocol { get; init; }

    /// <summary><c>Outbound</c> (default: the whole path from the source) or <c>Inbound</c> (IP flow verify at the destination interface).</summary>
    [JsonPropertyName("direction")]
    public string? Direction { get; init; }

    /// <summary>Default 49152, the first ephemeral port.</summary>
    [JsonPropertyName("source_port")]
    public int? SourcePort { get; init; }

    private static readonly string[] Fields = ["source", "destination", "destination_port", "protocol", "direction", "source_port"];

    /// <summary>Reads the body, naming every field that is missing, of the wrong type, out of range or unknown.</summary>
    public static VerifyFlowRequest Read(string text)
    {
        JsonObject body;
        try
        {
            body = JsonNode.Parse(text) as JsonObject
                ?? throw FlowTargets.Invalid("body", "the body is a JSON object: {\"source\": …, \"destination\": …, \"destination_port\": 443}");
        }
        catch (JsonException ex)
        {
            throw FlowTargets.Invalid("body", $"the body is not well-formed JSON (line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1})");
        }

        var problems = new RequestProblems();
        foreach (var (key, _) in body)
        {
            if (!Fields.Contains(key, StringComparer.Ordinal))
            {
                problems.Add(key, $"unknown field; the fields are {string.Join(", ", Fields)}");
            }
        }

        var source = Text(body, "source", problems, required: true);
        var destination = Text(body, "destination", problems, required: true);
        var protocol = Text(body, "protocol", problems, required: false);
        var direction = Text(body, "direction", problems, required: false);
        _ = ProtocolOf(protocol, problems);
        _ = DirectionOf(direction, problems);
        var destinationPort = Port(body, "destination_port", problems);
        var sourcePort = Port(body, "source_port", problems);
        problems.ThrowIfAny();
        return new VerifyFlowRequest
        {
            Source = source!,
            Destination = destination!,
            DestinationPort = destinationPort,
            Protocol = protocol,
            Direction = direction,
            SourcePort = sourcePort,
        };
    }

    internal static Sluice.Network.Verification.FlowProtocol ProtocolOf(string? text, RequestProblems problems) =>
        Choice(text, Sluice.Network.Verification.FlowProtocol.Tcp, "protocol", problems, "is not a protocol; use Tcp, Udp, Icmp, Esp or Ah");

    internal static FlowDirection DirectionOf(string? text, RequestProblems problems) =>
        Choice(text, FlowDirection.Outbound, "direction", problems, "is not a direction; use Outbound (the whole path from the source) or Inbound (the rules at the destination interface)");

    /// <summary>An enum value by name, case-insensitively (numbers are not names).</summary>
    private static T Choice<T>(string? text, T fallback, string field, RequestProblems problems, string problem)
        where T : struct, Enum
    {
        if (text is null)
        {
            return fallback;
        }

        if (text.All(char.IsAsciiLetter) && Enum.TryParse<T>(text, ignoreCase: true, out var value))
        {
            return value;
        }

        problems.Add(field, $"'{text}' {problem}");
        return fallback;
    }

    private static string? Text(JsonObject body, string field, RequestProblems problems, bool required)
    {
        var node = body[field];
        if (node is null)
        {
            if (required)
            {
                problems.Add(field, "is required");
            }

            return null;
        }

        if (node is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text))
        {
            return text.Trim();
        }

        problems.Add(field, "must be a non-empty string");
        return null;
    }

    private static int? Port(JsonObject body, string field, RequestProblems problems)
    {
        var node = body[field];
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<int>(out var port) && port is >= 0 and <= PortRange.MaxPort)
        {
            return port;
        }

        problems.Add(field, $"{node.ToJsonString()} is not a port; ports are whole numbers from 0 to {PortRange.MaxPort}");
        return null;
    }
}
