using System.Text.Json.Serialization;

namespace Sluice.Core.References;

/// <summary>
/// A pointer to something a spec depends on, in one of the forms Azure ML users write. Serialized as its canonical
/// text, so JSON and YAML carry the same string a user would type.
/// </summary>
[JsonConverter(typeof(ReferenceJsonConverter))]
public abstract record Reference
{
    /// <summary>The canonical text of the reference, e.g. <c>azureml:model:3</c>.</summary>
    public abstract string Text { get; }

    public sealed override string ToString() => Text;
}

/// <summary>
/// A registered asset: <c>azureml:name:version</c> or <c>azureml:name@label</c> (only the label <c>latest</c> exists),
/// or the long forms that name the workspace, <c>azureml://subscriptions/…/workspaces/&lt;ws&gt;/data/&lt;name&gt;/versions/&lt;v&gt;</c>
/// and <c>azureml://locations/&lt;location&gt;/workspaces/&lt;ws&gt;/data/&lt;name&gt;/versions/&lt;v&gt;</c>. Of the long forms Sluice keeps
/// the workspace, which must be the one the reference is used in, and the collection, which must fit the field.
/// </summary>
public sealed record AssetReference(string Name, string? Version, string? Label) : Reference
{
    public const string Latest = "latest";

    /// <summary>The workspace a long form names; null for the short forms, which mean the current workspace.</summary>
    public string? Workspace { get; init; }

    /// <summary>The collection a long form names (<c>data</c>, <c>models</c>, <c>environments</c>, <c>components</c>); null for short forms.</summary>
    public string? Collection { get; init; }

    /// <summary>The Azure region of the <c>azureml://locations/…</c> form; kept only to write the reference back.</summary>
    public string? Location { get; init; }

    public bool IsLatest => Version is null;

    public override string Text => (Workspace, Location) switch
    {
        (null, _) => Version is not null ? $"azureml:{Name}:{Version}" : $"azureml:{Name}@{Label ?? Latest}",
        (_, null) => $"azureml://subscriptions/local/resourcegroups/local/workspaces/{Workspace}/{Collection}/{Name}/versions/{Version}",
        _ => $"azureml://locations/{Location}/workspaces/{Workspace}/{Collection}/{Name}/versions/{Version}",
    };

    public static AssetReference Pinned(string name, string version) => new(name, version, null);
}

/// <summary><c>azureml:name</c> or a bare name: how compute clusters and other unversioned resources are referenced.</summary>
public sealed record NamedReference(string Name) : Reference
{
    public override string Text => $"azureml:{Name}";
}

/// <summary>
/// A path in a datastore: <c>azureml://datastores/&lt;ds&gt;/paths/&lt;path&gt;</c>, or the long form naming the
/// subscription, resource group and workspace (the workspace part is kept; Azure's scope parts have no meaning here).
/// </summary>
public sealed record DatastorePathReference(string Datastore, string Path, string? Workspace = null) : Reference
{
    public override string Text => Workspace is null
        ? $"azureml://datastores/{Datastore}/paths/{Path}"
        : $"azureml://subscriptions/local/resourcegroups/local/workspaces/{Workspace}/datastores/{Datastore}/paths/{Path}";

    /// <summary>True when the path names a folder (ends with '/').</summary>
    public bool IsFolder => Path.Length == 0 || Path.EndsWith('/');
}

/// <summary>An asset in a registry (<c>azureml://registries/&lt;r&gt;/models/&lt;n&gt;/versions/&lt;v&gt;</c>). Parsed so files validate; Sluice has no registries yet.</summary>
public sealed record RegistryReference(string Registry, string AssetType, string Name, string? Version, string? Label) : Reference
{
    public override string Text => Version is not null
        ? $"azureml://registries/{Registry}/{AssetType}/{Name}/versions/{Version}"
        : $"azureml://registries/{Registry}/{AssetType}/{Name}/labels/{Label}";
}

/// <summary>
/// An <c>http(s)://</c> URL, e.g. a blob in a storage account (<c>wasbs://container@account.blob…/path</c> is read as
/// the same https URL). Servers read it through the registered datastore whose container holds it.
/// </summary>
public sealed record WebReference(Uri Uri) : Reference
{
    public override string Text => Uri.AbsoluteUri;
}

/// <summary>
/// A path on the machine that read the spec, as written (relative to the spec file) and resolved. The CLI uploads
/// the content and replaces the reference with a <see cref="DatastorePathReference"/> before calling the server.
/// </summary>
public sealed record LocalPathReference(string WrittenPath, string FullPath) : Reference
{
    public override string Text => WrittenPath;

    public bool IsDirectory => Directory.Exists(FullPath);
}
