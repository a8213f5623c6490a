namespace Sluice.Core.Specs.Network;

/// <summary>Azure resource ids in places that take a name: <c>/subscriptions/…/storageAccounts/mystorage</c> means <c>mystorage</c>.</summary>
public static class ArmIds
{
    public static bool IsArmId(string text) => text.StartsWith("/subscriptions/", StringComparison.OrdinalIgnoreCase);

    public static string LastSegment(string text) =>
        IsArmId(text) ? text.TrimEnd('/')[(text.TrimEnd('/').LastIndexOf('/') + 1)..] : text;

    /// <summary>The resource type before the last segment (<c>storageAccounts</c>), or null for a plain name.</summary>
    public static string? ResourceType(string text)
    {
        if (!IsArmId(text))
        {
            return null;
        }

        var parts = text.Trim('/').Split('/');
        return parts.Length >= 2 ? parts[^2] : null;
    }
}
