using System.Text.RegularExpressions;

namespace Sluice.Core.References;

/// <summary>Which reference forms a field accepts.</summary>
[Flags]
public enum ReferenceForms
{
    None = 0,
    Asset = 1,
    Named = 2,
    DatastorePath = 4,
    Registry = 8,
    Web = 16,
    LocalPath = 32,

    /// <summary>What a model, environment or component field takes: a registered asset or its files.</summary>
    AssetOrPath = Asset | Registry | LocalPath | DatastorePath,

    /// <summary>What a data field takes: anywhere data can live.</summary>
    Data = Asset | DatastorePath | Web | LocalPath,
}

/// <summary>Parses the reference forms of Azure ML specs. Pure: path existence is checked by the caller.</summary>
public static partial class ReferenceParser
{
    public static bool TryParse(string text, ReferenceForms allowed, string? baseDirectory, out Reference? reference, out string? error)
    {
        reference = null;
        error = null;
        var value = text.Trim();
        if (value.Length == 0)
        {
            error = "must not be empty";
            return false;
        }

        if (value.StartsWith("azureml://", StringComparison.OrdinalIgnoreCase))
        {
            return TryParseUri(value, allowed, out reference, out error);
        }

        if (value.StartsWith("azureml:", StringComparison.OrdinalIgnoreCase))
        {
            return TryParseShort(value["azureml:".Length..], allowed, out reference, out error);
        }

        if (value.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            || value.StartsWith("wasbs://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("wasb://", StringComparison.OrdinalIgnoreCase))
        {
            return TryParseUrl(value, allowed, out reference, out error);
        }

        if (DataLakeScheme().IsMatch(value))
        {
            error = $"'{value}' is in Azure Data Lake Storage, which Sluice does not read; copy the data to a local or azure_blob datastore and use azureml://datastores/<datastore>/paths/<path>";
            return false;
        }

        if (SchemeLike().IsMatch(value) && !(value.Length > 1 && value[1] == ':'))
        {
            error = $"'{value}' uses a scheme Sluice does not know; {Expected(allowed)}";
            return false;
        }

        if (allowed.HasFlag(ReferenceForms.Named) && NamePattern().IsMatch(value) && !allowed.HasFlag(ReferenceForms.LocalPath))
        {
            reference = new NamedReference(value);
            return true;
        }

        if (!allowed.HasFlag(ReferenceForms.LocalPath))
        {
            error = $"'{value}' is not a reference; {Expected(allowed)}";
            return false;
        }

        var full = Path.GetFullPath(Path.IsPathRooted(value) || baseDirectory is null ? value : Path.Combine(baseDirectory, value));
        reference = new LocalPathReference(value, full);
        return true;
    }

    /// <summary>
    /// http(s) URLs, and Azure's <c>wasb(s)://container@account.blob.&lt;suffix&gt;/path</c>, read as the same http(s) URL.
    /// A URL that carries a SAS token is refused: a path is stored and shown, so it must not hold a secret.
    /// </summary>
    private static bool TryParseUrl(string value, ReferenceForms allowed, out Reference? reference, out string? error)
    {
        reference = null;
        error = null;
        if (!allowed.HasFlag(ReferenceForms.Web))
        {
            error = $"'{WithoutQuery(value)}': a URL is not accepted here; {Expected(allowed)}";
            return false;
        }

        var text = value;
        var wasb = Wasb().Match(value);
        if (wasb.Success)
        {
            var scheme = wasb.Groups["s"].Value.Length > 0 ? "https" : "http";
            text = $"{scheme}://{wasb.Groups["account"].Value}/{wasb.Groups["container"].Value}/{wasb.Groups["path"].Value}";
        }
        else if (value.StartsWith("wasb", StringComparison.OrdinalIgnoreCase))
        {
            error = $"'{WithoutQuery(value)}' is not of the form 'wasbs://<container>@<account>.blob.core.windows.net/<path>'";
            return false;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            error = $"'{WithoutQuery(value)}' is not a valid URL";
            return false;
        }

        if (uri.Query.Length > 1 && uri.Query.Contains("sig=", StringComparison.OrdinalIgnoreCase))
        {
            error = $"'{WithoutQuery(value)}' carries a SAS token in its query; a path is stored and shown, so Sluice does not accept secrets in it. Register an azure_blob datastore with credentials.sas_token and use the URL without the token, or azureml://datastores/<datastore>/paths/<path>";
            return false;
        }

        reference = new WebReference(uri);
        return true;
    }

    /// <summary>A URL for messages: its query may hold a token, so it is left out.</summary>
    private static string WithoutQuery(string value)
    {
        var query = value.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? value : value[..query] + "?…";
    }

    private static bool TryParseShort(string body, ReferenceForms allowed, out Reference? reference, out string? error)
    {
        reference = null;
        error = null;
        var at = body.IndexOf('@', StringComparison.Ordinal);
        var colon = body.IndexOf(':', StringComparison.Ordinal);
        if (at < 0 && colon < 0)
        {
            if (allowed.HasFlag(ReferenceForms.Named))
            {
                reference = new NamedReference(body);
                return NameOk(body, out error);
            }

            error = $"'azureml:{body}' names no version; write 'azureml:{body}:<version>' or 'azureml:{body}@latest'";
            return false;
        }

        if (!allowed.HasFlag(ReferenceForms.Asset))
        {
            error = $"'azureml:{body}': a versioned asset is not accepted here; {Expected(allowed)}";
            return false;
        }

        if (at >= 0)
        {
            var name = body[..at];
            var label = body[(at + 1)..];
            if (!string.Equals(label, AssetReference.Latest, StringComparison.Ordinal))
            {
                error = $"'azureml:{body}': the only label is 'latest' (write 'azureml:{name}@latest' or pin a version with 'azureml:{name}:<version>')";
                return false;
            }

            reference = new AssetReference(name, null, label);
            return NameOk(name, out error);
        }

        var assetName = body[..colon];
        var version = body[(colon + 1)..];
        if (version.Length == 0 || version.Contains(':', StringComparison.Ordinal))
        {
            error = $"'azureml:{body}' is not of the form 'azureml:<name>:<version>'";
            return false;
        }

        reference = new AssetReference(assetName, version, null);
        return NameOk(assetName, out error);
    }

    private static bool TryParseUri(string value, ReferenceForms allowed, out Reference? reference, out string? error)
    {
        reference = null;
        error = null;
        var datastore = DatastoreUri().Match(value);
        if (datastore.Success)
        {
            if (!allowed.HasFlag(ReferenceForms.DatastorePath))
            {
                error = $"'{value}': a datastore path is not accepted here; {Expected(allowed)}";
                return false;
            }

            var workspace = datastore.Groups["ws"].Success ? datastore.Groups["ws"].Value : null;
            reference = new DatastorePathReference(datastore.Groups["ds"].Value, datastore.Groups["path"].Value, workspace);
            return true;
        }

        var asset = WorkspaceAssetUri().Match(value);
        if (asset.Success)
        {
            if (!allowed.HasFlag(ReferenceForms.Asset))
            {
                error = $"'{value}': a registered asset is not accepted here; {Expected(allowed)}";
                return false;
            }

            var name = asset.Groups["name"].Value;
            reference = new AssetReference(name, asset.Groups["v"].Value, null)
            {
                Workspace = asset.Groups["ws"].Value,
                Collection = asset.Groups["type"].Value.ToLowerInvariant(),
                Location = asset.Groups["loc"].Success ? asset.Groups["loc"].Value : null,
            };
            return NameOk(name, out error);
        }

        var registry = RegistryUri().Match(value);
        if (registry.Success)
        {
            if (!allowed.HasFlag(ReferenceForms.Registry))
            {
                error = $"'{value}': a registry asset is not accepted here; {Expected(allowed)}";
                return false;
            }

            var version = registry.Groups["kind"].Value == "versions" ? registry.Groups["v"].Value : null;
            var label = version is null ? registry.Groups["v"].Value : null;
            reference = new RegistryReference(registry.Groups["reg"].Value, registry.Groups["type"].Value, registry.Groups["name"].Value, version, label);
            return true;
        }

        error = $"'{value}' is not a known azureml:// form; expected 'azureml://datastores/<datastore>/paths/<path>', 'azureml://subscriptions/<subscription>/resourcegroups/<group>/workspaces/<workspace>/datastores/<datastore>/paths/<path>', 'azureml://subscriptions/<subscription>/resourcegroups/<group>/workspaces/<workspace>/<data|models|environments|components>/<name>/versions/<version>', 'azureml://locations/<location>/workspaces/<workspace>/<data|models|environments|components>/<name>/versions/<version>' or 'azureml://registries/<registry>/<models|environments|components>/<name>/versions/<version>'";
        return false;
    }

    private static bool NameOk(string name, out string? error)
    {
        error = NamePattern().IsMatch(name) ? null : $"'{name}' is not a valid name (letters, digits, '-', '_' and '.', starting with a letter or digit)";
        return error is null;
    }

    private static string Expected(ReferenceForms allowed)
    {
        var forms = new List<string>();
        if (allowed.HasFlag(ReferenceForms.Asset))
        {
            forms.Add("'azureml:<name>:<version>' or 'azureml:<name>@latest'");
        }

        if (allowed.HasFlag(ReferenceForms.Named))
        {
            forms.Add("'azureml:<name>'");
        }

        if (allowed.HasFlag(ReferenceForms.DatastorePath))
        {
            forms.Add("'azureml://datastores/<datastore>/paths/<path>'");
        }

        if (allowed.HasFlag(ReferenceForms.Web))
        {
            forms.Add("an https:// URL");
        }

        if (allowed.HasFlag(ReferenceForms.LocalPath))
        {
            forms.Add("a local path relative to the spec file");
        }

        return "expected " + string.Join(", or ", forms);
    }

    [GeneratedRegex(@"^azureml://(?:subscriptions/[^/]+/resource[gG]roups/[^/]+/(?:providers/Microsoft\.MachineLearningServices/)?workspaces/(?<ws>[^/]+)/)?datastores/(?<ds>[A-Za-z0-9_]+)/paths/(?<path>.*)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DatastoreUri();

    [GeneratedRegex(@"^azureml://(?:subscriptions/[^/]+/resourcegroups/[^/]+/(?:providers/Microsoft\.MachineLearningServices/)?|locations/(?<loc>[^/]+)/)workspaces/(?<ws>[^/]+)/(?<type>data|models|environments|components)/(?<name>[^/]+)/versions/(?<v>[^/]+)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WorkspaceAssetUri();

    [GeneratedRegex(@"^wasb(?<s>s?)://(?<container>[^@/]+)@(?<account>[^/]+)/(?<path>.*)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Wasb();

    [GeneratedRegex(@"^(?:abfss?|adl)://", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DataLakeScheme();

    [GeneratedRegex(@"^azureml://registries/(?<reg>[^/]+)/(?<type>models|environments|components|data)/(?<name>[^/]+)/(?<kind>versions|labels)/(?<v>[^/]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex RegistryUri();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.\-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9+.\-]*://", RegexOptions.CultureInvariant)]
    private static partial Regex SchemeLike();
}
