using Sluice.Core.Diagnostics;
using Sluice.Core.Specs.Readers;
using Sluice.Core.Yaml;
using YamlDotNet.RepresentationModel;

namespace Sluice.Core.Specs;

/// <summary>The outcome of reading one document: what it is, the spec when valid, and every problem found.</summary>
public sealed record SpecReadResult(DocumentKind? Kind, object? Spec, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool IsValid => Spec is not null && !Diagnostics.Any(d => d.Severity == Severity.Error);

    public IEnumerable<Diagnostic> Errors => Diagnostics.Where(d => d.Severity == Severity.Error);

    /// <summary>The spec as a resource of the given type, or a <see cref="SpecException"/> listing every problem.</summary>
    public T Require<T>()
        where T : class
    {
        if (!IsValid)
        {
            throw new SpecException(Diagnostics);
        }

        return Spec as T ?? throw new SpecException([new Diagnostic(Severity.Error, (Diagnostics.Count > 0 ? Diagnostics[0].Location : (SourceLocation?)null) ?? new SourceLocation("spec"), $"expected a {typeof(T).Name}, but the document describes a {Kind}")]);
    }
}

/// <summary>Reads Azure ML v2 YAML (or JSON) into validated specs. The single entry point for the CLI, the server and tests.</summary>
public static class SpecReader
{
    public static SpecReadResult ReadFile(string path, SpecReadOptions options, DocumentKind? expected = null, IEnumerable<string>? overrides = null)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            var missing = new DiagnosticBag();
            missing.Error(new SourceLocation(path), Directory.Exists(fullPath) ? "is a folder; expected a YAML file" : "file not found");
            return new SpecReadResult(expected, null, missing.Items);
        }

        return Read(File.ReadAllText(fullPath), path, Path.GetDirectoryName(fullPath), options, expected, overrides);
    }

    /// <param name="implied">Root keys to assume when the document omits them, e.g. the name from a request URL.</param>
    public static SpecReadResult Read(string text, string source, string? baseDirectory, SpecReadOptions options, DocumentKind? expected = null, IEnumerable<string>? overrides = null, IReadOnlyDictionary<string, string>? implied = null, string overrideOrigin = "--set")
    {
        var context = new SpecContext(source, baseDirectory, options);
        var root = YamlDocumentLoader.Load(text, context);
        if (root is null)
        {
            return new SpecReadResult(expected, null, context.Diagnostics.Items);
        }

        if (overrides is not null)
        {
            SpecOverrides.Apply(root, overrides, context, overrideOrigin);
        }

        if (implied is not null)
        {
            SpecOverrides.Imply(root, implied, context);
        }

        var kind = ResolveKind(root, expected, context);
        if (kind is null)
        {
            return new SpecReadResult(null, null, context.Diagnostics.Items);
        }

        var spec = ReadAs(kind.Value, new MappingReader(context, root, string.Empty));
        return new SpecReadResult(kind, context.Diagnostics.HasErrors ? null : spec, context.Diagnostics.Items);
    }

    private static DocumentKind? ResolveKind(YamlMappingNode root, DocumentKind? expected, SpecContext context)
    {
        var detection = SpecKindDetector.Detect(root);
        if (expected is null)
        {
            if (detection.Kind is null)
            {
                context.Error(root, $"cannot tell what this document describes ({detection.Evidence}); add 'type:' (e.g. 'type: custom_model' for a model, 'type: uri_folder' for data) or use the command for the resource kind, e.g. 'sluice model create -f'");
            }

            return detection.Kind;
        }

        if (detection.IsDefinite && detection.Kind != expected)
        {
            var kindName = Describe(detection.Kind!.Value);
            context.Error(root, $"this document describes {kindName} (from {detection.Evidence}), not {Describe(expected.Value)}; {Advice(detection.Kind.Value)}");
            return null;
        }

        return expected;
    }

    private static object ReadAs(DocumentKind kind, MappingReader m) => kind switch
    {
        DocumentKind.Workspace => WorkspaceReader.Read(m),
        DocumentKind.Datastore => DatastoreReader.Read(m),
        DocumentKind.Data => DataAssetReader.Read(m),
        DocumentKind.Model => ModelReader.Read(m),
        DocumentKind.Environment => EnvironmentReader.Read(m),
        DocumentKind.Compute => ComputeReader.Read(m),
        DocumentKind.BatchEndpoint => BatchEndpointReader.Read(m),
        DocumentKind.BatchDeployment => BatchDeploymentReader.Read(m),
        DocumentKind.Component => ComponentReader.Read(m),
        DocumentKind.CondaFile => CondaFileReader.Read(m),
        DocumentKind.JobInputs => JobIoReader.Read(m),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static string Describe(DocumentKind kind) => kind switch
    {
        DocumentKind.CondaFile => "a conda environment file",
        DocumentKind.JobInputs => "job inputs and outputs",
        DocumentKind.Environment => "an environment",
        _ => "a " + ((ResourceKind)(int)kind).DisplayName(),
    };

    // Helper documents are not created on their own: say where they go rather than naming a command that rejects them too.
    private static string Advice(DocumentKind kind) => kind switch
    {
        DocumentKind.CondaFile => "name it in an environment's 'conda_file:' and create that environment with 'sluice environment create -f'",
        DocumentKind.JobInputs => "give it to 'sluice batch-endpoint invoke --file' instead",
        _ => $"use 'sluice {((ResourceKind)(int)kind).CommandGroup()} create -f' for it",
    };
}
