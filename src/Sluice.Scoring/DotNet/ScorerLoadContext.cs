using System.Reflection;
using System.Runtime.Loader;

namespace Sluice.Scoring.DotNet;

/// <summary>
/// Loads a custom scorer and its dependencies in an isolated context, so its libraries cannot clash with Sluice's.
/// The scorer interface itself comes from Sluice's own context: that is what makes the types the same on both sides.
/// </summary>
internal sealed class ScorerLoadContext(string mainAssembly) : AssemblyLoadContext($"scorer:{Path.GetFileName(mainAssembly)}", isCollectible: false)
{
    private static readonly string SharedAssembly = typeof(Abstractions.IBatchScorer).Assembly.GetName().Name!;
    private readonly AssemblyDependencyResolver _resolver = new(mainAssembly);

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (string.Equals(assemblyName.Name, SharedAssembly, StringComparison.Ordinal))
        {
            return null; // fall back to the default context's copy
        }

        var path = _resolver.ResolveAssemblyToPath(assemblyName);
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }
}
