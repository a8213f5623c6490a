using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sluice.Core.Yaml;

/// <summary>YAML 1.2 core-schema interpretation of scalars, shared by every reader so "10", 10 and '10' mean the same where a number is expected.</summary>
internal static class YamlScalars
{
    public static bool IsNull(YamlNode? node) =>
        node is null
        || (node is YamlScalarNode scalar
            && scalar.Style is ScalarStyle.Plain or ScalarStyle.Any
            && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL");

    public static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode s when IsNull(s) => "null",
        YamlScalarNode s => $"'{Truncate(s.Value ?? string.Empty)}'",
        _ => "an unsupported YAML node",
    };

    public static bool TryInteger(YamlScalarNode scalar, out long value) =>
        long.TryParse(scalar.Value?.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    public static bool TryNumber(YamlScalarNode scalar, out double value) =>
        double.TryParse(scalar.Value?.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    public static bool TryBoolean(YamlScalarNode scalar, out bool value)
    {
        switch (scalar.Value?.Trim().ToLowerInvariant())
        {
            case "true":
                value = true;
                return true;
            case "false":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }

    private static string Truncate(string text) => text.Length <= 60 ? text : string.Concat(text.AsSpan(0, 57), "...");
}
