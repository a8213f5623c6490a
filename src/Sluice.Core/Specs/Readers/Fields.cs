using Sluice.Core.References;
using Sluice.Core.Yaml;
using YamlDotNet.RepresentationModel;

namespace Sluice.Core.Specs.Readers;

/// <summary>Reading steps shared by every resource reader.</summary>
internal static class Fields
{
    /// <summary>Reads <c>name</c>, checking it against a naming rule. A missing name is reported unless a fallback is given.</summary>
    public static string Name(MappingReader m, Func<string, string?> rule, string? fallback = null)
    {
        var name = fallback is null ? m.RequiredString("name") : m.String("name") ?? fallback;
        if (name is null)
        {
            return string.Empty;
        }

        if (rule(name) is { } problem)
        {
            m.Error("name", problem);
        }

        return name;
    }

    public static string? Version(MappingReader m)
    {
        var version = m.String("version");
        if (version is not null && Naming.ResourceNames.Version(version) is { } problem)
        {
            m.Error("version", problem);
        }

        return version;
    }

    public static IReadOnlyDictionary<string, string> Tags(MappingReader m) => m.StringMap("tags") ?? ResourceSpec.Empty;

    public static Reference? Reference(MappingReader m, string key, ReferenceForms forms, PathKind pathKind = PathKind.FileOrFolder)
    {
        var node = m.Get(key);
        if (node is null)
        {
            return null;
        }

        // The legacy schema wrote local paths as {local_path: ./x}.
        if (node is YamlMappingNode legacy && forms.HasFlag(ReferenceForms.LocalPath))
        {
            var inner = new MappingReader(m.Context, legacy, m.KeyPath(key));
            var path = inner.String("local_path");
            inner.Complete();
            if (path is null)
            {
                m.Error(key, "expected a path or reference, or the legacy form {local_path: <path>}");
                return null;
            }

            return Parse(m.Context, inner.Locate("local_path"), inner.KeyPath("local_path"), path, forms, pathKind);
        }

        if (node is not YamlScalarNode scalar)
        {
            m.Error(key, $"expected a reference or path, got {YamlScalars.Describe(node)}");
            return null;
        }

        return Parse(m.Context, node, m.KeyPath(key), scalar.Value ?? string.Empty, forms, pathKind);
    }

    public static Reference? Parse(SpecContext context, YamlNode node, string keyPath, string text, ReferenceForms forms, PathKind pathKind = PathKind.FileOrFolder)
    {
        if (!ReferenceParser.TryParse(text, forms, context.BaseDirectory, out var reference, out var error))
        {
            context.Error(node, $"{keyPath}: {error}", keyPath);
            return null;
        }

        if (reference is LocalPathReference local)
        {
            CheckLocalPath(context, node, keyPath, local, pathKind);
        }

        if (reference is RegistryReference registry)
        {
            context.Warning(node, $"{keyPath}: '{registry.Text}' is in registry '{registry.Registry}'; Sluice has no registries, so creating this on a server fails; register the asset in the workspace and refer to it as azureml:<name>@latest", keyPath);
        }

        return reference;
    }

    private static void CheckLocalPath(SpecContext context, YamlNode node, string keyPath, LocalPathReference local, PathKind pathKind)
    {
        if (!context.Options.AllowLocalPaths)
        {
            context.Error(node, $"{keyPath}: '{local.WrittenPath}' is a local path, which the server cannot read; upload the content first (the sluice CLI does this for you) and refer to it as azureml://datastores/<datastore>/paths/<path>", keyPath);
            return;
        }

        if (!context.Options.CheckLocalPaths)
        {
            return;
        }

        var isFile = File.Exists(local.FullPath);
        var isFolder = Directory.Exists(local.FullPath);
        var problem = (pathKind, isFile, isFolder) switch
        {
            (_, false, false) => $"local path '{local.WrittenPath}' does not exist (looked for {local.FullPath}); paths are relative to the spec file's folder",
            (PathKind.File, false, true) => $"'{local.WrittenPath}' is a folder; expected a file",
            (PathKind.Folder, true, false) => $"'{local.WrittenPath}' is a file; expected a folder",
            _ => null,
        };
        if (problem is not null)
        {
            context.Error(node, $"{keyPath}: {problem}", keyPath);
        }
    }

    /// <summary>Reports Azure-only keys with no meaning for Sluice as warnings rather than errors, so Azure files still load.</summary>
    public static void Tolerate(MappingReader m, string reason, params string[] keys)
    {
        foreach (var key in keys)
        {
            if (m.IsPresent(key))
            {
                m.Warning(key, reason);
            }

            m.Ignore(key);
        }
    }

    public static IReadOnlyList<string> StringList(MappingReader m, string key)
    {
        var sequence = m.Sequence(key);
        if (sequence is null)
        {
            return [];
        }

        var items = new List<string>();
        foreach (var item in sequence)
        {
            if (item is YamlScalarNode { Value: { } text })
            {
                items.Add(text);
            }
            else
            {
                m.Context.Error(item, $"{m.KeyPath(key)}: expected a list of text values, got {YamlScalars.Describe(item)}", m.KeyPath(key));
            }
        }

        return items;
    }

    /// <summary>Reads a field that is either a reference string or an inline spec mapping (<c>model: {path: ./m}</c>).</summary>
    public static AssetBinding<TSpec>? Binding<TSpec>(MappingReader m, string key, ReferenceForms forms, Func<MappingReader, string, TSpec> readInline, string inlineName, PathKind pathKind = PathKind.FileOrFolder)
        where TSpec : ResourceSpec
    {
        switch (m.Get(key))
        {
            case null:
                return null;
            case YamlMappingNode mapping:
                return AssetBinding<TSpec>.Of(readInline(new MappingReader(m.Context, mapping, m.KeyPath(key)), inlineName));
            case YamlScalarNode:
                var reference = Reference(m, key, forms, pathKind);
                return reference is null ? null : AssetBinding<TSpec>.To(reference);
            case var other:
                m.Error(key, $"expected a reference or an inline definition, got {YamlScalars.Describe(other)}");
                return null;
        }
    }
}
