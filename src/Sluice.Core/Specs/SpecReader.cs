using Sluice.Core.Diagnostics;
using Sluice.Core.Specs.Network;
using Sluice.Core.Specs.Readers;
using Sluice.Core.Yaml;
using YamlDotNet.RepresentationModel;

namespace Sluice.Core.Specs;

/// <summary>The outcome of reading one document: what it is, the spec when valid, and every problem found.</summary>
public sealed record SpecReadResult(DocumentKind? Kind, object? Spec, IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>For files of several documents: the document's 1-based position in the file and the line it starts on.</summary>
    public int Document { get; init; } = 1;

    public long Line { get; init; } = 1;

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

        return ReadRoot(root, context, expected, overrides, implied, overrideOrigin);
    }

    /// <summary>
    /// Reads the document of the expected kind from a file that may hold several (<c>---</c>): the one named
    /// <paramref name="name"/> when there is one, else the only one of that kind. A file of one document reads as with
    /// <see cref="Read"/>.
    /// </summary>
    public static SpecReadResult ReadSelected(string text, string source, string? baseDirectory, SpecReadOptions options, DocumentKind expected, string? name, IEnumerable<string>? overrides = null, IReadOnlyDictionary<string, string>? implied = null)
    {
        var context = new SpecContext(source, baseDirectory, options);
        var documents = YamlDocumentLoader.LoadAll(text, context);
        if (documents is null || documents.Count == 1)
        {
            return Read(text, source, baseDirectory, options, expected, overrides, implied);
        }

        var ofKind = documents
            .Where(d => d.Root is not null && SpecKindDetector.Detect(d.Root).Kind == expected)
            .Select(d => (Root: d.Root!, Name: d.Root!.Children.TryGetValue(new YamlScalarNode("name"), out var n) ? (n as YamlScalarNode)?.Value : null))
            .ToList();
        var chosen = ofKind.Where(d => name is not null && d.Name == name).ToList() is { Count: 1 } named ? named : ofKind;
        if (chosen.Count != 1)
        {
            var what = Describe(expected)[(Describe(expected).IndexOf(' ', StringComparison.Ordinal) + 1)..];
            context.Diagnostics.Error(new SourceLocation(source), chosen.Count == 0
                ? $"none of the file's {documents.Count} documents describes {Describe(expected)}{(name is null ? string.Empty : $" named '{name}'")}"
                : $"the file describes {chosen.Count} of kind {what} ({string.Join(", ", chosen.Select(c => c.Name ?? "?"))}); choose one with -n");
            return new SpecReadResult(expected, null, context.Diagnostics.Items);
        }

        return ReadRoot(chosen[0].Root, context, expected, overrides, implied, "--set");
    }

    private static SpecReadResult ReadRoot(YamlMappingNode root, SpecContext context, DocumentKind? expected, IEnumerable<string>? overrides, IReadOnlyDictionary<string, string>? implied, string overrideOrigin)
    {
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

    /// <summary>
    /// Reads a file of one or more documents separated by <c>---</c> (a network is often written as one file), each on
    /// its own, then checks the documents against each other where one refers to another in the same file (a subnet
    /// named by an interface exists, the interface's address lies in it). References to resources not in the file are
    /// left to the server.
    /// </summary>
    public static IReadOnlyList<SpecReadResult> ReadAllFile(string path, SpecReadOptions options)
    {
        var fullPath = Path.GetFullPath(path);
        return File.Exists(fullPath)
            ? ReadAll(File.ReadAllText(fullPath), path, Path.GetDirectoryName(fullPath), options)
            : [ReadFile(path, options)];
    }

    public static IReadOnlyList<SpecReadResult> ReadAll(string text, string source, string? baseDirectory, SpecReadOptions options)
    {
        var fileContext = new SpecContext(source, baseDirectory, options);
        var documents = YamlDocumentLoader.LoadAll(text, fileContext);
        if (documents is null || documents.Count == 1)
        {
            // One document reads exactly as a resource file does.
            return [Read(text, source, baseDirectory, options)];
        }

        var read = new List<(SpecContext Context, YamlMappingNode? Root, DocumentKind? Kind, object? Spec, long Line)>();
        foreach (var (root, line) in documents)
        {
            var context = new SpecContext(source, baseDirectory, options);
            if (root is null)
            {
                context.Diagnostics.Error(new SourceLocation(source, line, 1), "expected a mapping of keys such as 'name:' at the top level of this document");
                read.Add((context, null, null, null, line));
                continue;
            }

            var kind = ResolveKind(root, null, context);
            var spec = kind is null ? null : ReadAs(kind.Value, new MappingReader(context, root, string.Empty));
            read.Add((context, root, kind, context.Diagnostics.HasErrors ? null : spec, line));
        }

        var lookup = new DocumentLookup(read.Select(r => r.Spec).OfType<ResourceSpec>().ToList());
        foreach (var (context, root, _, spec, _) in read)
        {
            if (spec is not ResourceSpec resource || root is null || lookup.Specs.Count < 2)
            {
                continue;
            }

            foreach (var problem in NetworkConsistency.Check(resource, lookup).Where(p => !p.IsMissing))
            {
                var node = YamlPaths.Find(root, problem.KeyPath);
                if (problem.Severity == Severity.Error)
                {
                    context.Error(node, problem.ToString(), problem.KeyPath);
                }
                else
                {
                    context.Warning(node, problem.ToString(), problem.KeyPath);
                }
            }
        }

        return [.. read.Select((r, i) => new SpecReadResult(r.Kind, r.Context.Diagnostics.HasErrors ? null : r.Spec, r.Context.Diagnostics.Items) { Document = i + 1, Line = r.Line })];
    }

    /// <summary>The resources of one file, for checking its documents against each other.</summary>
    private sealed class DocumentLookup(IReadOnlyList<ResourceSpec> specs) : INetworkLookup
    {
        public IReadOnlyList<ResourceSpec> Specs => specs;

        public ResourceSpec? Find(ResourceKind kind, string name) => specs.FirstOrDefault(s => s.Kind == kind && s.Name == name);

        public IEnumerable<ResourceSpec> All(ResourceKind kind) => specs.Where(s => s.Kind == kind);

        public bool? ServiceTagExists(string name) =>
            specs.Any(s => s.Kind == ResourceKind.ServiceTag && string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)) ? true : null;

        public IEnumerable<string> ServiceTagNames() => specs.Where(s => s.Kind == ResourceKind.ServiceTag).Select(s => s.Name);
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
        DocumentKind.VirtualNetwork => VirtualNetworkReader.Read(m),
        DocumentKind.NetworkSecurityGroup => NetworkSecurityGroupReader.Read(m),
        DocumentKind.RouteTable => RouteTableReader.Read(m),
        DocumentKind.NatGateway => NatGatewayReader.Read(m),
        DocumentKind.ApplicationSecurityGroup => ApplicationSecurityGroupReader.Read(m),
        DocumentKind.NetworkInterface => NetworkInterfaceReader.Read(m),
        DocumentKind.PrivateEndpoint => PrivateEndpointReader.Read(m),
        DocumentKind.StorageAccount => ServiceResourceReaders.ReadStorageAccount(m),
        DocumentKind.SecretStore => ServiceResourceReaders.ReadSecretStore(m),
        DocumentKind.Registry => ServiceResourceReaders.ReadRegistry(m),
        DocumentKind.ServiceTag => ServiceTagReader.Read(m),
        DocumentKind.CondaFile => CondaFileReader.Read(m),
        DocumentKind.JobInputs => JobIoReader.Read(m),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static string Describe(DocumentKind kind) => kind switch
    {
        DocumentKind.CondaFile => "a conda environment file",
        DocumentKind.JobInputs => "job inputs and outputs",
        DocumentKind.Environment => "an environment",
        DocumentKind.ApplicationSecurityGroup => "an application security group",
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
