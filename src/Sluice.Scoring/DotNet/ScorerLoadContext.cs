using System.Reflection;
using System.Runtime.Loader;

namespace Sluice.Scoring.DotNet;

/// <summary>
/// Loads a custom scorer and its dependencies in an isolated context, so its libraries cannot clash with Sluice's.
/// The scorer interface itself comes from Sluice's own context: that is what makes the types the same on both sides.
/// ONNX Runtime's managed library (and the tensor library its API exposes) also come from Sluice's context when Sluice's
/// copy is at least the version the scorer was built against: a second copy would load a second native runtime, with
/// its own thread pools and allocator, beside Sluice's in the same process.
/// </summary>
internal sealed class ScorerLoadContext(string mainAssembly) : AssemblyLoadContext($"scorer:{Path.GetFileName(mainAssembly)}", isCollectible: false)
{
    private static readonly string SharedAssembly = typeof(Abstractions.IBatchScorer).Assembly.GetName().Name!;

    /// <summary>Libraries shared with Sluice when its copy is recent enough; otherwise the scorer's own copy is loaded.</summary>
    internal static readonly IReadOnlySet<string> SharedWhenCompatible = new HashSet<string>(StringComparer.Ordinal)
    {
        "Microsoft.ML.OnnxRuntime",
        "System.Numerics.Tensors",
    };

    private readonly AssemblyDependencyResolver _resolver = new(mainAssembly);

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (string.Equals(assemblyName.Name, SharedAssembly, StringComparison.Ordinal))
        {
            return null; // fall back to the default context's copy
        }

        if (assemblyName.Name is { } name && SharedWhenCompatible.Contains(name) && HostCopy(assemblyName) is { } shared)
        {
            return shared;
        }

        var path = _resolver.ResolveAssemblyToPath(assemblyName);
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }

    /// <summary>Sluice's own copy of a library when it has one at least as new as the one asked for.</summary>
    private static Assembly? HostCopy(AssemblyName requested)
    {
        Assembly host;
        try
        {
            host = Default.LoadFromAssemblyName(new AssemblyName(requested.Name!));
        }
        catch (FileNotFoundException)
        {
            return null; // Sluice does not ship it: the scorer brings its own
        }

        return requested.Version is null || host.GetName().Version >= requested.Version ? host : null;
    }
}
