using Sluice.Core.Diagnostics;

namespace Sluice.Server.Api;

internal static class RouteNames
{
    /// <summary>A body may repeat the name in the URL, but not contradict it.</summary>
    public static void RequireSame(string what, string fromUrl, string fromBody)
    {
        if (!string.Equals(fromUrl, fromBody, StringComparison.Ordinal))
        {
            throw SluiceException.Invalid($"The URL names {what} '{fromUrl}' but the body says '{fromBody}'.", "make them agree, or omit the name from the body");
        }
    }
}
