using Sluice.Core.Specs;

namespace Sluice.Data.Datastores;

/// <summary>
/// Blob URLs and the azure_blob datastores they fall in: how an <c>https://&lt;account&gt;.blob.core.windows.net/&lt;container&gt;/&lt;path&gt;</c>
/// a user wrote becomes a path in a registered datastore (whose credentials then apply).
/// </summary>
public static class BlobUrls
{
    public const string DefaultSuffix = "core.windows.net";

    /// <summary>
    /// The URL of a blob datastore's container, ending in '/'. The endpoint is a DNS suffix (<c>core.windows.net</c>)
    /// or, for emulators, the account's full URL (<c>http://127.0.0.1:10000/devstoreaccount1</c>).
    /// </summary>
    public static Uri? ContainerUrl(DatastoreSpec spec)
    {
        if (spec.Type != DatastoreType.AzureBlob || spec.AccountName is null || spec.ContainerName is null)
        {
            return null;
        }

        if (spec.Endpoint is { } endpoint && Uri.TryCreate(endpoint, UriKind.Absolute, out var account) && account.Scheme is "http" or "https")
        {
            return new Uri($"{account.GetLeftPart(UriPartial.Path).TrimEnd('/')}/{spec.ContainerName}/");
        }

        var suffix = (spec.Endpoint ?? DefaultSuffix).Trim('.');
        return Uri.TryCreate($"{spec.Protocol ?? "https"}://{spec.AccountName}.blob.{suffix}/{spec.ContainerName}/", UriKind.Absolute, out var url) ? url : null;
    }

    /// <summary>
    /// The path inside <paramref name="container"/> that <paramref name="url"/> names, or null when it is outside it.
    /// Hosts compare without case and schemes not at all (http and https name the same blob); the path keeps its case.
    /// </summary>
    public static string? PathIn(Uri container, Uri url)
    {
        if (!string.Equals(container.IdnHost, url.IdnHost, StringComparison.OrdinalIgnoreCase) || PortOf(container) != PortOf(url))
        {
            return null;
        }

        var prefix = container.AbsolutePath;
        var path = url.AbsolutePath;
        if (string.Equals(path + "/", prefix, StringComparison.Ordinal))
        {
            return string.Empty;
        }

        return path.StartsWith(prefix, StringComparison.Ordinal) ? Uri.UnescapeDataString(path[prefix.Length..]) : null;
    }

    /// <summary>The account and container a blob URL names, for messages; null when the URL is not shaped like one.</summary>
    public static (string Account, string Container)? Describe(Uri url)
    {
        var segments = url.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var dot = url.Host.IndexOf(".blob.", StringComparison.OrdinalIgnoreCase);
        if (dot > 0)
        {
            return segments.Length >= 1 ? (url.Host[..dot], segments[0]) : null;
        }

        // Emulators put the account in the path: http://127.0.0.1:10000/<account>/<container>/<path>.
        return segments.Length >= 2 ? (segments[0], segments[1]) : null;
    }

    private static int? PortOf(Uri url) => url.IsDefaultPort ? null : url.Port;
}
