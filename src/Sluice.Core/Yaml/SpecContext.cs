using Sluice.Core.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Sluice.Core.Yaml;

/// <summary>The state shared by the readers of one spec: where it came from, how strict to be, and the problems found so far.</summary>
public sealed class SpecContext
{
    private readonly Dictionary<YamlNode, string> _overrideSources = new(ReferenceEqualityComparer.Instance);

    public SpecContext(string source, string? baseDirectory, SpecReadOptions options, DiagnosticBag? diagnostics = null)
    {
        Source = source;
        BaseDirectory = baseDirectory;
        Options = options;
        Diagnostics = diagnostics ?? new DiagnosticBag();
    }

    /// <summary>The file name (or "request body") that errors are reported against.</summary>
    public string Source { get; }

    /// <summary>The folder relative local paths resolve against: the spec file's folder.</summary>
    public string? BaseDirectory { get; }

    public SpecReadOptions Options { get; }

    public DiagnosticBag Diagnostics { get; }

    /// <summary>Remembers that a node came from a <c>--set</c> override so errors about it point there, not at a line.</summary>
    internal void MarkOverride(YamlNode node, string origin) => _overrideSources[node] = origin;

    public SourceLocation At(YamlNode? node)
    {
        if (node is null)
        {
            return new SourceLocation(Source);
        }

        if (_overrideSources.TryGetValue(node, out var origin))
        {
            return new SourceLocation(origin);
        }

        return node.Start.Line > 0 ? new SourceLocation(Source, node.Start.Line, node.Start.Column) : new SourceLocation(Source);
    }

    public void Error(YamlNode? node, string message, string? keyPath = null) => Diagnostics.Error(At(node), message, keyPath);

    public void Warning(YamlNode? node, string message, string? keyPath = null) => Diagnostics.Warning(At(node), message, keyPath);
}
