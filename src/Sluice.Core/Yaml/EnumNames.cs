using System.Collections.Frozen;
using System.Reflection;
using System.Text;
using System.Text.Json.Serialization;

namespace Sluice.Core.Yaml;

/// <summary>
/// Maps enum members to the snake_case words Azure ML's YAML uses (<c>LowPriority</c> ↔ <c>low_priority</c>).
/// Parsing also accepts the CamelCase spelling Azure's REST API uses, as Azure's own CLI does. A member with
/// <see cref="JsonStringEnumMemberNameAttribute"/> is written with that name instead (Azure's network resources spell
/// their values <c>VirtualAppliance</c>, <c>Tcp</c>, <c>*</c>), which the JSON serializer honours too.
/// </summary>
public static class EnumNames<TEnum>
    where TEnum : struct, Enum
{
    private static readonly FrozenDictionary<TEnum, string> Names =
        Enum.GetValues<TEnum>().ToFrozenDictionary(v => v, v => Declared(v) ?? SnakeCase.From(v.ToString()));

    private static readonly FrozenDictionary<string, TEnum> ByNormalized =
        Enum.GetValues<TEnum>()
            .SelectMany(v => new[] { (Key: Normalize(v.ToString()), Value: v), (Key: Normalize(Names[v]), Value: v) })
            .DistinctBy(p => p.Key)
            .ToFrozenDictionary(p => p.Key, p => p.Value);

    public static IReadOnlyList<string> All { get; } = Enum.GetValues<TEnum>().Select(ToName).ToArray();

    public static string ToName(TEnum value) => Names.TryGetValue(value, out var name) ? name : SnakeCase.From(value.ToString());

    public static bool TryParse(string text, out TEnum value) => ByNormalized.TryGetValue(Normalize(text), out value);

    private static string? Declared(TEnum value) =>
        typeof(TEnum).GetField(value.ToString(), BindingFlags.Public | BindingFlags.Static)?.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name;

    private static string Normalize(string text) => text.Replace("_", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
}

public static class SnakeCase
{
    public static string From(string pascal)
    {
        var builder = new StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && (char.IsLower(pascal[i - 1]) || char.IsDigit(pascal[i - 1]) || (i + 1 < pascal.Length && char.IsLower(pascal[i + 1]) && char.IsUpper(pascal[i - 1]))))
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
