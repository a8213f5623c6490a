using Samples.Ocr;
using Sluice.Scoring.DotNet;
using Sluice.Scoring.Abstractions;
using System.Runtime.Loader;

namespace Sluice.Samples.Ocr.Tests;

/// <summary>The acceptance test of the OCR pipeline: rendered words, the real model, real decoding.</summary>
public sealed class OcrAccuracyTests
{
    [Fact]
    public void Recognize_FixedSeedSetOf200RenderedWords_ReachesAtLeast90PercentCharacterAccuracy()
    {
        using var folder = new TempFolder("accuracy");
        using var renderer = new TextLineRenderer();
        using var recognizer = new OcrRecognizer(OcrModel.Path);
        var lines = renderer.RenderSet(200, seed: 2026, folder.Combine("data"), folder.Combine("labels.tsv"), recognizer.Decoder.Characters);

        var predictions = lines.ToDictionary(l => l.FileName, l => recognizer.RecognizeFile(folder.Combine("data", l.FileName))!.Value.Text, StringComparer.Ordinal);
        var report = Labels.Compare(Labels.Read(folder.Combine("labels.tsv")), predictions);

        TestContext.Current.SendDiagnosticMessage(report.ToString());
        Assert.Equal(200, report.Predicted);
        Assert.True(report.CharacterAccuracy >= 0.90,
            $"{report}; first misses: {string.Join("; ", report.Misses.Take(10).Select(m => $"{m.File} '{m.Expected}' → '{m.Actual}'"))}");
        Assert.Equal(5, TextLineRenderer.Sizes.Count);
    }

    [Fact]
    public void Recognize_SameImageTwice_GivesTheSameTextAndConfidence_FromReusedBuffers()
    {
        using var renderer = new TextLineRenderer();
        using var recognizer = new OcrRecognizer(OcrModel.Path);
        using var bitmap = SkiaSharp.SKBitmap.Decode(renderer.RenderPng("Batch2026", "LiberationSans-Regular", 40));

        var first = recognizer.Recognize(bitmap);
        var second = recognizer.Recognize(bitmap);

        Assert.Equal("Batch2026", first.Text);
        Assert.Equal(first, second);
        Assert.InRange(first.Confidence, 0.5f, 1f);
    }

    [Fact]
    public void RecognizeFile_NotAnImage_IsNull()
    {
        using var folder = new TempFolder("not-image");
        using var recognizer = new OcrRecognizer(OcrModel.Path);
        File.WriteAllText(folder.Combine("notes.png"), "not a picture");

        Assert.Null(recognizer.RecognizeFile(folder.Combine("notes.png")));
    }

    [Fact]
    public void Recognizer_ModelMissing_SaysHowToFetchIt()
    {
        using var folder = new TempFolder("no-model");

        var error = Assert.Throws<FileNotFoundException>(() => new OcrRecognizer(folder.Path));

        Assert.Contains("scripts/ocr-model.sh", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DotNetScorerLoader_LoadsTheSampleInItsOwnContext_SharingSluicesOnnxRuntime()
    {
        using var folder = new TempFolder("loader");
        var code = folder.Combine("code");
        Directory.CreateDirectory(code);
        // The sample's build output, as a deployment's code folder holding a built scorer.
        var output = Path.GetDirectoryName(typeof(OcrScorer).Assembly.Location)!;
        foreach (var file in Directory.GetFiles(output, "OcrScorer.*").Concat(Directory.GetFiles(output, "SkiaSharp.dll")))
        {
            File.Copy(file, Path.Combine(code, Path.GetFileName(file)));
        }

        var scorer = await new DotNetScorerLoader(folder.Combine("cache")).CreateAsync(code, "OcrScorer.dll:Samples.Ocr.OcrScorer", TextWriter.Null, TestContext.Current.CancellationToken);
        try
        {
            await scorer.InitAsync(new ScorerContext(OcrModel.Path, null, new Dictionary<string, string>(), "worker-1", TextWriter.Null), TestContext.Current.CancellationToken);

            var context = AssemblyLoadContext.GetLoadContext(scorer.GetType().Assembly)!;
            Assert.NotSame(AssemblyLoadContext.Default, context);
            Assert.DoesNotContain(context.Assemblies, a => a.GetName().Name == "Microsoft.ML.OnnxRuntime");
            Assert.Contains(AssemblyLoadContext.Default.Assemblies, a => a.GetName().Name == "Microsoft.ML.OnnxRuntime");
        }
        finally
        {
            (scorer as IDisposable)?.Dispose();
        }
    }
}
