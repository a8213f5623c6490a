using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Sluice.Scoring.Abstractions;

namespace Sluice.Scoring.DotNet;

/// <summary>
/// Finds, builds (once) and instantiates a custom .NET scorer from a deployment's code folder. <c>scoring_script</c>
/// names what to load: <c>Scorer.dll</c>, <c>Scorer.dll:Namespace.Type</c>, <c>Scorer.csproj</c> (built once and
/// cached), <c>Scorer.csproj:Namespace.Type</c>, or just <c>Namespace.Type</c> (searched in the folder's assemblies).
/// </summary>
public sealed class DotNetScorerLoader(string buildCache)
{
    private static readonly ConcurrentDictionary<string, ScorerLoadContext> Contexts = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> BuildLocks = new(StringComparer.Ordinal);

    public async Task<IBatchScorer> CreateAsync(string codeFolder, string scoringScript, TextWriter log, CancellationToken cancellationToken)
    {
        var colon = scoringScript.IndexOf(':', StringComparison.Ordinal);
        var file = colon < 0 ? scoringScript : scoringScript[..colon];
        var typeName = colon < 0 ? null : scoringScript[(colon + 1)..];
        IReadOnlyList<string> assemblies;
        if (file.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase))
        {
            var project = Path.Combine(codeFolder, file);
            if (!File.Exists(project))
            {
                throw new FileNotFoundException($"scoring_script names the project '{file}', which is not in the code folder");
            }

            assemblies = [await BuildAsync(project, log, cancellationToken)];
        }
        else if (file.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            var path = Path.Combine(codeFolder, file);
            assemblies = File.Exists(path) ? [path] : throw new FileNotFoundException($"scoring_script names '{file}', which is not in the code folder");
        }
        else
        {
            typeName = scoringScript;
            assemblies = Directory.GetFiles(codeFolder, "*.dll").Where(p => !Path.GetFileName(p).StartsWith("Sluice.Scoring.Abstractions", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        }

        var candidates = new List<Type>();
        foreach (var assemblyPath in assemblies)
        {
            var context = Contexts.GetOrAdd(Path.GetFullPath(assemblyPath), p => new ScorerLoadContext(p));
            Assembly assembly;
            try
            {
                assembly = context.LoadFromAssemblyPath(Path.GetFullPath(assemblyPath));
            }
            catch (BadImageFormatException)
            {
                continue; // a native library beside the managed ones
            }

            candidates.AddRange(ScorerTypes(assembly).Where(t => typeName is null || t.FullName == typeName || t.Name == typeName));
        }

        var type = candidates.Count switch
        {
            1 => candidates[0],
            0 => throw new TypeLoadException(typeName is null
                ? $"no public class implementing {nameof(IBatchScorer)} was found in {string.Join(", ", assemblies.Select(Path.GetFileName))}"
                : $"no public class '{typeName}' implementing {nameof(IBatchScorer)} was found in {string.Join(", ", assemblies.Select(Path.GetFileName))}"),
            // Searched by type name, the advice must name an assembly: "<type>:<Namespace.Type>" would not parse.
            _ => throw new AmbiguousMatchException($"several scorers were found ({string.Join(", ", candidates.Select(t => $"{t.FullName} in {Path.GetFileName(t.Assembly.Location)}"))}); name one: scoring_script: {(typeName == scoringScript ? "<Assembly>.dll" : file)}:<Namespace.Type>"),
        };
        if (type.GetConstructor(Type.EmptyTypes) is null)
        {
            throw new MissingMethodException($"the scorer {type.FullName} needs a public parameterless constructor");
        }

        log.WriteLine($"Loaded scorer {type.FullName} from {Path.GetFileName(type.Assembly.Location)}");
        return (IBatchScorer)Activator.CreateInstance(type)!;
    }

    private static IEnumerable<Type> ScorerTypes(Assembly assembly)
    {
        Type?[] types;
        try
        {
            types = assembly.GetExportedTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            types = ex.Types;
        }

        return types.Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IBatchScorer).IsAssignableFrom(t))!;
    }

    /// <summary>Builds a scorer project once per content; later workers and jobs reuse the output.</summary>
    private async Task<string> BuildAsync(string project, TextWriter log, CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(project)!;
        var key = HashFolder(folder);
        var output = Path.Combine(buildCache, key);
        var assembly = Path.Combine(output, Path.GetFileNameWithoutExtension(project) + ".dll");
        var gate = BuildLocks.GetOrAdd(output, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (File.Exists(Path.Combine(output, ".complete")) && File.Exists(assembly))
            {
                return assembly;
            }

            log.WriteLine($"Building {Path.GetFileName(project)} (once; cached as {key})");
            // A staging folder of this attempt's own: a build abandoned by an earlier, cancelled attempt may still be
            // writing to its folder, and deleting that one under it fails ("Directory not empty").
            var staging = $"{output}.building-{Guid.NewGuid():N}";

            try
            {
                // Build from a private copy: the code folder is shared, read-only content of the datastore.
                var sources = output + ".src";
                CopyFolder(folder, sources);
                var abstractions = typeof(IBatchScorer).Assembly.Location;
                var start = new ProcessStartInfo("dotnet")
                {
                    ArgumentList = { "build", Path.Combine(sources, Path.GetFileName(project)), "-c", "Release", "-o", staging, "-nologo", "-v", "quiet", $"-p:SluiceScoringAbstractions={abstractions}", "-p:TreatWarningsAsErrors=false" },
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    WorkingDirectory = sources,
                };
                using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start 'dotnet build'");
                var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
                var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
                try
                {
                    await process.WaitForExitAsync(cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    // Cancelled (the worker's call timed out or the job was cancelled): the build must not outlive it.
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync(CancellationToken.None);
                    throw;
                }

                var text = (await stdout) + (await stderr);
                await log.WriteLineAsync(text.AsMemory(), cancellationToken);
                if (process.ExitCode != 0)
                {
                    var errors = string.Join("; ", text.Split('\n').Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)).Select(l => l.Trim()).Distinct().Take(5));
                    throw new InvalidOperationException($"building {Path.GetFileName(project)} failed (exit {process.ExitCode}): {errors}");
                }

                if (Directory.Exists(output))
                {
                    Directory.Delete(output, recursive: true);
                }

                Directory.Move(staging, output);
                await File.WriteAllTextAsync(Path.Combine(output, ".complete"), key, cancellationToken);
                return File.Exists(assembly) ? assembly : throw new FileNotFoundException($"the build did not produce {Path.GetFileName(assembly)}");
            }
            finally
            {
                // Whatever ended this attempt (cancelled during the build or while its log was written, a failed build,
                // a failed move), its staging folder goes; after a successful move it no longer exists, so the
                // completed build in the cache is never touched.
                TryDelete(staging);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
            // A leftover staging folder costs disk only; the next attempt stages into a folder of its own.
        }
    }

    private static void CopyFolder(string from, string to)
    {
        if (Directory.Exists(to))
        {
            Directory.Delete(to, recursive: true);
        }

        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static string HashFolder(string folder)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal) && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                     .Order(StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(folder, file) + "\0"));
            hash.AppendData(File.ReadAllBytes(file));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }
}
