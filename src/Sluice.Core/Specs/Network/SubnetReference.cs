using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sluice.Core.Specs.Network;

/// <summary>
/// A subnet named from another resource, written <c>&lt;virtual_network&gt;/&lt;subnet&gt;</c>. Input may also be
/// <c>&lt;vnet&gt;/subnets/&lt;subnet&gt;</c> or a full ARM id (<c>/subscriptions/…/virtualNetworks/&lt;vnet&gt;/subnets/&lt;subnet&gt;</c>).
/// </summary>
[JsonConverter(typeof(SubnetReferenceJsonConverter))]
public sealed record SubnetReference(string VirtualNetwork, string Subnet)
{
    public override string ToString() => $"{VirtualNetwork}/{Subnet}";

    public static bool TryParse(string text, out SubnetReference? reference, out string problem)
    {
        reference = null;
        problem = string.Empty;
        var parts = text.Trim().Trim('/').Split('/');
        string? vnet = null, subnet = null;
        if (text.TrimStart().StartsWith('/') && parts.Length >= 4)
        {
            // An ARM id: …/virtualNetworks/<vnet>/subnets/<subnet>.
            var at = Array.FindLastIndex(parts, p => p.Equals("virtualNetworks", StringComparison.OrdinalIgnoreCase));
            if (at >= 0 && at + 3 == parts.Length - 1 && parts[at + 2].Equals("subnets", StringComparison.OrdinalIgnoreCase))
            {
                (vnet, subnet) = (parts[at + 1], parts[at + 3]);
            }
        }
        else if (parts.Length == 2)
        {
            (vnet, subnet) = (parts[0], parts[1]);
        }
        else if (parts.Length == 3 && parts[1].Equals("subnets", StringComparison.OrdinalIgnoreCase))
        {
            (vnet, subnet) = (parts[0], parts[2]);
        }

        if (vnet is null || subnet is null)
        {
            problem = $"'{text}' does not name a subnet; write <virtual_network>/<subnet>, e.g. vnet1/compute";
            return false;
        }

        if (Naming.ResourceNames.Network(vnet) is { } badVnet)
        {
            problem = badVnet;
            return false;
        }

        if (Naming.ResourceNames.Network(subnet) is { } badSubnet)
        {
            problem = badSubnet;
            return false;
        }

        reference = new SubnetReference(vnet, subnet);
        return true;
    }
}

internal sealed class SubnetReferenceJsonConverter : JsonConverter<SubnetReference>
{
    public override SubnetReference Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        SubnetReference.TryParse(reader.GetString() ?? string.Empty, out var reference, out var problem) ? reference! : throw new JsonException(problem);

    public override void Write(Utf8JsonWriter writer, SubnetReference value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}
