using System.Buffers;
using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;
using Samples.Ocr;
using SkiaSharp;

namespace Sluice.Scoring.Bench;

/// <summary>
/// The OCR sample's tensor path per image: a decoded text line resized to height 48, normalised into a pinned buffer
/// and wrapped in an <see cref="OrtValue"/>. <see cref="Prepare"/> is what the scorer does (buffers and OrtValues kept
/// per tensor width: 0 B per image once a width has been seen); <see cref="FillPooledAndCreateOrtValue"/> rents a buffer
/// and creates an OrtValue per image, for comparison; <see cref="Recognize"/> adds inference into the kept output
/// buffer and CTC decoding, whose only allocation is the decoded string.
/// </summary>
[MemoryDiagnoser]
public class OcrTensorBenchmarks : IDisposable
{
    private OcrRecognizer _recognizer = null!;
    private SKBitmap _bitmap = null!;

    [GlobalSetup]
    public void Setup()
    {
        using (var renderer = new TextLineRenderer())
        {
            _bitmap = SKBitmap.Decode(renderer.RenderPng("Sluice2026", "DejaVuSans", 36));
        }

        _recognizer = new OcrRecognizer(ModelFolder());
        _recognizer.Recognize(_bitmap); // the first run at this width allocates its buffers
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _recognizer?.Dispose();
        _bitmap?.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true)]
    public int Prepare() => _recognizer.Prepare(_bitmap).Width;

    [Benchmark]
    public int FillPooledAndCreateOrtValue()
    {
        var resized = OcrPreprocessor.ResizedWidth(_bitmap.Width, _bitmap.Height);
        var width = OcrPreprocessor.TensorWidth(resized);
        var length = OcrPreprocessor.TensorLength(width);
        var buffer = ArrayPool<float>.Shared.Rent(length);
        try
        {
            OcrPreprocessor.Fill(_bitmap.GetPixelSpan(), _bitmap.Width, _bitmap.Height, _bitmap.RowBytes, PixelLayout.Bgra32, resized, width, buffer);
            using var value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, buffer.AsMemory(0, length), [1, 3, OcrPreprocessor.Height, width]);
            return width;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    [Benchmark]
    public int Recognize() => _recognizer.Recognize(_bitmap).Text.Length;

    private static string ModelFolder()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Sluice.slnx")))
        {
            root = Path.GetDirectoryName(root.TrimEnd(Path.DirectorySeparatorChar)) ?? throw new InvalidOperationException("no folder above the benchmark holds Sluice.slnx");
        }

        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(root, "scripts", "ocr-model.sh"));
        start.ArgumentList.Add("path");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not run scripts/ocr-model.sh");
        var folder = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return process.ExitCode == 0 ? folder : throw new InvalidOperationException("scripts/ocr-model.sh path failed; run scripts/ocr-model.sh install");
    }
}
