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

        if (value.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            if (!allowed.HasFlag(ReferenceForms.Web))
            {
                error = $"'{value}': a URL is not accepted here; {Expected(allowed)}";
                return false;
            }

            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri))
            {
                error = $"'{value}' is not a valid URL";
                return false;
            }

            reference = new WebReference(uri);
            return true;
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

        error = $"'{value}' is not a known azureml:// form; expected 'azureml://datastores/<datastore>/paths/<path>' or 'azureml://registries/<registry>/<models|environments|components>/<name>/versions/<version>'";
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

    [GeneratedRegex(@"^azureml://registries/(?<reg>[^/]+)/(?<type>models|environments|components|data)/(?<name>[^/]+)/(?<kind>versions|labels)/(?<v>[^/]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex RegistryUri();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.\-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9+.\-]*://", RegexOptions.CultureInvariant)]
    private static partial Regex SchemeLike();
}
