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

    /// <summary>
    /// A credential-less datastore for the container a blob URL names (an anonymous, public container): named after
    /// the account and container, so the same URL always lands in the same datastore. Null when the URL is not shaped
    /// like a blob URL.
    /// </summary>
    public static DatastoreSpec? AnonymousDatastore(Uri url)
    {
        if (Describe(url) is not var (account, container))
        {
            return null;
        }

        var dot = url.Host.IndexOf(".blob.", StringComparison.OrdinalIgnoreCase);
        var endpoint = dot > 0
            ? url.Host[(dot + ".blob.".Length)..]
            : $"{url.Scheme}://{url.Authority}/{account}";
        var name = $"public_{new string([.. $"{account}_{container}".Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')])}";
        return new DatastoreSpec
        {
            Name = name.Length > 255 ? name[..255] : name,
            Description = $"Anonymous read access to {url.GetLeftPart(UriPartial.Authority)}, container '{container}': registered by Sluice the first time a job named a URL in it.",
            Type = DatastoreType.AzureBlob,
            AccountName = account,
            ContainerName = container,
            Endpoint = endpoint,
            Protocol = url.Scheme,
        };
    }

    private static int? PortOf(Uri url) => url.IsDefaultPort ? null : url.Port;
}
