using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;
using Sluice.Scoring.Abstractions;
using Sluice.Scoring.DotNet;
using Sluice.Scoring.Output;
using Sluice.Scoring.Tests.Onnx;
using Sluice.TestScorers;

namespace Sluice.Scoring.Tests.DotNet;

public sealed class DotNetScorerLoaderTests : IDisposable
{
    private const string ScorerDll = "Sluice.TestScorers.dll";

    private readonly DirectoryInfo temp = Directory.CreateTempSubdirectory("sluice-dotnet-loader-tests-");
    private readonly StringWriter log = new(CultureInfo.InvariantCulture);

    public DotNetScorerLoaderTests()
    {
        // The code folder a deployment would upload: the scorer assembly (built with this solution) and, as a plug-in's
        // build output usually holds, its copy of the scorer interface.
        CodeFolder = Directory.CreateDirectory(Path.Combine(temp.FullName, "code")).FullName;
        File.Copy(typeof(ThrowingScorer).Assembly.Location, Path.Combine(CodeFolder, ScorerDll));
        File.Copy(typeof(IBatchScorer).Assembly.Location, Path.Combine(CodeFolder, Path.GetFileName(typeof(IBatchScorer).Assembly.Location)));
    }

    public void Dispose()
    {
        log.Dispose();
        temp.Delete(recursive: true);
    }

    private string CodeFolder { get; }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private string BuildCache => Path.Combine(temp.FullName, "build-cache");

    private Task<IBatchScorer> LoadAsync(string scoringScript) =>
        new DotNetScorerLoader(BuildCache).CreateAsync(CodeFolder, scoringScript, log, Token);

    /// <summary>
    /// A project that builds in the time MSBuild takes to start: its build only fills the output folder (with a file
    /// that is no assembly), then runs <paramref name="afterOutput"/>. Enough to see what the loader does with its
    /// staging folder without compiling anything.
    /// </summary>
    private void WriteProject(string afterOutput = "") => File.WriteAllText(Path.Combine(CodeFolder, "Scorer.csproj"), $"""
        <Project DefaultTargets="Build">
          <Target Name="Restore" />
          <Target Name="Build">
            <MakeDir Directories="$(OutputPath)" />
            <WriteLinesToFile File="$([MSBuild]::EnsureTrailingSlash('$(OutputPath)'))Scorer.dll" Lines="not an assembly" />
            {afterOutput}
          </Target>
        </Project>
        """);

    private IEnumerable<string> StagingFolders() =>
        Directory.Exists(BuildCache) ? Directory.EnumerateDirectories(BuildCache, "*.building-*") : [];

    [Fact]
    public async Task CreateAsync_AssemblyAndTypeName_LoadsThatType()
    {
        var scorer = await LoadAsync($"{ScorerDll}:Sluice.TestScorers.ThrowingScorer");

        Assert.Equal("Sluice.TestScorers.ThrowingScorer", scorer.GetType().FullName);
        Assert.Equal(Path.Combine(CodeFolder, ScorerDll), scorer.GetType().Assembly.Location);
        Assert.Contains($"Loaded scorer Sluice.TestScorers.ThrowingScorer from {ScorerDll}", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_TypeNameAlone_FindsItInTheFolder()
    {
        var scorer = await LoadAsync("Sluice.TestScorers.SlowScorer");

        Assert.Equal("Sluice.TestScorers.SlowScorer", scorer.GetType().FullName);
        Assert.Equal(Path.Combine(CodeFolder, ScorerDll), scorer.GetType().Assembly.Location);
    }

    [Fact]
    public async Task CreateAsync_TypeNameAlone_SkipsNativeLibrariesInTheFolder()
    {
        await File.WriteAllBytesAsync(Path.Combine(CodeFolder, "libnative.dll"), [0x7F, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0], Token);

        var scorer = await LoadAsync("Sluice.TestScorers.OutputFolderScorer");

        Assert.Equal("Sluice.TestScorers.OutputFolderScorer", scorer.GetType().FullName);
    }

    [Fact]
    public async Task CreateAsync_AssemblyAloneWithSeveralScorers_ThrowsAmbiguousMatchNamingThem()
    {
        var error = await Assert.ThrowsAsync<AmbiguousMatchException>(() => LoadAsync(ScorerDll));

        var scorers = typeof(ThrowingScorer).Assembly.GetExportedTypes().Where(t => t.IsAssignableTo(typeof(IBatchScorer))).ToList();
        Assert.Contains(typeof(SlowScorer), scorers);
        Assert.Contains(typeof(BrokenInitScorer), scorers);
        Assert.All(scorers, t => Assert.Contains(t.FullName!, error.Message, StringComparison.Ordinal));

        Assert.EndsWith($"name one: scoring_script: {ScorerDll}:<Namespace.Type>", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_TypeNameFoundInTwoAssemblies_ThrowsAmbiguousMatchAdvisingToNameTheAssembly()
    {
        File.Copy(Path.Combine(CodeFolder, ScorerDll), Path.Combine(CodeFolder, "Contoso.Copy.dll"));

        var error = await Assert.ThrowsAsync<AmbiguousMatchException>(() => LoadAsync("Sluice.TestScorers.SlowScorer"));

        Assert.Contains("Sluice.TestScorers.SlowScorer in Contoso.Copy.dll", error.Message, StringComparison.Ordinal);
        Assert.Contains($"Sluice.TestScorers.SlowScorer in {ScorerDll}", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("name one: scoring_script: <Assembly>.dll:<Namespace.Type>", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_AssemblyAndTypeNameWithACopyBeside_LoadsFromTheNamedAssembly()
    {
        File.Copy(Path.Combine(CodeFolder, ScorerDll), Path.Combine(CodeFolder, "Contoso.Copy.dll"));

        var scorer = await LoadAsync("Contoso.Copy.dll:Sluice.TestScorers.SlowScorer");

        Assert.Equal(Path.Combine(CodeFolder, "Contoso.Copy.dll"), scorer.GetType().Assembly.Location);
    }

    [Fact]
    public async Task CreateAsync_UnknownTypeInAssembly_ThrowsTypeLoadExceptionNamingTypeAndAssembly()
    {
        var error = await Assert.ThrowsAsync<TypeLoadException>(() => LoadAsync($"{ScorerDll}:Sluice.TestScorers.NoSuchScorer"));

        Assert.Equal($"no public class 'Sluice.TestScorers.NoSuchScorer' implementing IBatchScorer was found in {ScorerDll}", error.Message);
    }

    [Fact]
    public async Task CreateAsync_UnknownTypeBySearch_ThrowsTypeLoadExceptionNamingTheSearchedAssemblies()
    {
        var error = await Assert.ThrowsAsync<TypeLoadException>(() => LoadAsync("Contoso.Scorer"));

        Assert.Equal($"no public class 'Contoso.Scorer' implementing IBatchScorer was found in {ScorerDll}", error.Message);
    }

    [Fact]
    public async Task CreateAsync_MissingAssembly_ThrowsFileNotFound()
    {
        var error = await Assert.ThrowsAsync<FileNotFoundException>(() => LoadAsync("Missing.dll:Contoso.Scorer"));

        Assert.Equal("scoring_script names 'Missing.dll', which is not in the code folder", error.Message);
    }

    [Fact]
    public async Task CreateAsync_MissingProject_ThrowsFileNotFound()
    {
        var error = await Assert.ThrowsAsync<FileNotFoundException>(() => LoadAsync("Scorer.csproj"));

        Assert.Equal("scoring_script names the project 'Scorer.csproj', which is not in the code folder", error.Message);
    }

    [Fact]
    public async Task CreateAsync_LoadedScorer_IsIsolatedButImplementsSluicesOwnInterface()
    {
        var scorer = await LoadAsync($"{ScorerDll}:Sluice.TestScorers.ThrowingScorer");

        var type = scorer.GetType();
        Assert.NotSame(typeof(ThrowingScorer), type);
        Assert.NotSame(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(type.Assembly));
        Assert.Contains(typeof(IBatchScorer), type.GetInterfaces());
        Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(type.GetInterfaces().Single().Assembly));
    }

    [Fact]
    public async Task CreateAsync_LoadedScorer_ScoresThroughSluicesOutput()
    {
        var input = Path.Combine(temp.FullName, "input.bin");
        await File.WriteAllBytesAsync(input, new byte[123], Token);
        var scorer = await LoadAsync($"{ScorerDll}:Sluice.TestScorers.ThrowingScorer");
        using var output = new MiniBatchOutput();

        await scorer.InitAsync(new ScorerContext("model", null, new Dictionary<string, string>(), "worker-0", log), Token);
        await scorer.RunAsync([input], output, Token);

        var scored = await ScoredOutput.ReadAsync(output);
        Assert.Equal(["file_name", "bytes"], scored.Header);
        Assert.Equal(["input.bin", "123"], Assert.Single(scored.Rows));
    }

    [Fact]
    public async Task CreateAsync_SameAssemblyTwice_GivesSeparateInstancesOfTheSameType()
    {
        var first = await LoadAsync($"{ScorerDll}:Sluice.TestScorers.SlowScorer");
        var second = await LoadAsync($"{ScorerDll}:Sluice.TestScorers.SlowScorer");

        Assert.NotSame(first, second);
        Assert.Same(first.GetType(), second.GetType());
    }

    [Fact]
    public async Task CreateAsync_CancelledWhileTheBuildLogIsWritten_LeavesNoStagingFolder()
    {
        WriteProject();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Token);
        using var cancellingLog = new CancelsWhenTheBuildOutputIsLogged(cancel);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new DotNetScorerLoader(BuildCache).CreateAsync(CodeFolder, "Scorer.csproj", cancellingLog, cancel.Token));

        Assert.True(cancellingLog.Cancelled, "the build ran to its end and its output reached the log");
        Assert.Empty(StagingFolders());
    }

    [Fact]
    public async Task CreateAsync_FailedBuild_LeavesNoStagingFolder()
    {
        WriteProject("""<Error Text="the scorer does not compile" />""");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => LoadAsync("Scorer.csproj"));

        Assert.Contains("building Scorer.csproj failed", error.Message, StringComparison.Ordinal);
        Assert.Empty(StagingFolders());
    }

    [Fact]
    public async Task CreateAsync_SuccessfulBuild_KeepsTheCompletedBuildAndNoStagingFolder()
    {
        WriteProject();

        // The built file is no assembly, so no scorer is found in it; the build itself succeeded and is cached.
        await Assert.ThrowsAsync<TypeLoadException>(() => LoadAsync("Scorer.csproj"));

        var cached = Assert.Single(Directory.EnumerateDirectories(BuildCache), d => !d.EndsWith(".src", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(cached, ".complete")));
        Assert.True(File.Exists(Path.Combine(cached, "Scorer.dll")));
        Assert.Empty(StagingFolders());
    }

    /// <summary>A log that cancels the build's token when the build's output is written to it, as a worker's call timing out then would.</summary>
    private sealed class CancelsWhenTheBuildOutputIsLogged(CancellationTokenSource cancel) : StringWriter(CultureInfo.InvariantCulture)
    {
        public bool Cancelled { get; private set; }

        public override Task WriteLineAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default)
        {
            cancel.Cancel();
            Cancelled = true;
            return base.WriteLineAsync(buffer, cancellationToken);
        }
    }
}
