using Sluice.Core.Specs;
using Sluice.Core.Yaml;

namespace Sluice.Core.Serialization;

/// <summary>
/// Specs are stored as the same canonical JSON the API returns and read back through the same validating reader as
/// request bodies, so there is one definition of what a spec may contain.
/// </summary>
public static class SpecCodec
{
    private static readonly SpecReadOptions Stored = new() { AllowLocalPaths = false, CheckLocalPaths = false };

    public static string Encode(ResourceSpec spec) => SluiceJson.Serialize(spec);

    public static ResourceSpec Decode(ResourceKind kind, string json)
    {
        var result = SpecReader.Read(json, $"stored {kind.DisplayName()}", null, Stored, kind.ToDocumentKind());
        if (!result.IsValid)
        {
            throw new InvalidOperationException($"A stored {kind.DisplayName()} no longer reads: {string.Join("; ", result.Errors)}");
        }

        return (ResourceSpec)result.Spec!;
    }

    public static T Decode<T>(ResourceKind kind, string json)
        where T : ResourceSpec => (T)Decode(kind, json);
}
