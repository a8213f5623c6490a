using System.Text;
using Microsoft.ML.OnnxRuntime;
using SkiaSharp;

namespace Samples.Ocr;

/// <summary>
/// One worker's recogniser: PNG → preprocessed tensor → PaddleOCR recognition → CTC-decoded text. Not thread-safe: each
/// worker (or loop thread) has its own, while the <see cref="InferenceSession"/> is shared. Input and output tensors
/// live in pinned buffers kept per tensor width and reused, so steady-state inference allocates no tensor memory.
/// </summary>
public sealed class OcrRecognizer : IDisposable
{
    private readonly OcrSessions.Lease _session;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly RunOptions _runOptions = new();
    /// <summary>
    /// The most tensor widths whose buffers are kept at once. Lines of a data set cluster around a few widths; a set of
    /// very varied lines would otherwise keep an input and an output buffer for every width it ever met (the output of a
    /// 1,280-wide line alone is 4 MB).
    /// </summary>
    private const int MaxKeptWidths = 32;

    private readonly Dictionary<int, Buffers> _buffers = [];
    private readonly OrtValue[] _input = new OrtValue[1];
    private readonly OrtValue[] _output = new OrtValue[1];
    private readonly StringBuilder _text = new();
    private readonly int _minWidth;

    public OcrRecognizer(string modelFolder, int intraOpThreads = 1, int minWidth = OcrPreprocessor.DefaultMinWidth)
    {
        var (model, keys) = ModelFiles(modelFolder);
        Decoder = new CtcDecoder(CharacterSet.Load(keys));
        _session = OcrSessions.Acquire(model, intraOpThreads);
        _inputNames = [.. _session.Session.InputMetadata.Keys];
        _outputNames = [.. _session.Session.OutputMetadata.Keys];
        _minWidth = minWidth;
        if (_inputNames.Length != 1 || _outputNames.Length != 1)
        {
            _session.Dispose();
            throw new InvalidDataException($"{model} has {_inputNames.Length} inputs and {_outputNames.Length} outputs; a PaddleOCR recognition model has one of each");
        }
    }

    public CtcDecoder Decoder { get; }

    /// <summary>The model and character list in a folder (rec.onnx, keys.txt), or beside a model file.</summary>
    public static (string Model, string Keys) ModelFiles(string modelPath) =>
        Directory.Exists(modelPath)
            ? (Path.Combine(modelPath, "rec.onnx"), Path.Combine(modelPath, "keys.txt"))
            : (modelPath, Path.Combine(Path.GetDirectoryName(Path.GetFullPath(modelPath))!, "keys.txt"));

    /// <summary>Recognises the text line in an image file; null when the file is not an image SkiaSharp can decode.</summary>
    public (string Text, float Confidence)? RecognizeFile(string path)
    {
        // Decoded to 8-bit BGRA whatever the file holds (16-bit, palette, grey with alpha), with unpremultiplied
        // alpha as PaddleOCR's own preprocessing sees it.
        using var codec = SKCodec.Create(path);
        if (codec is null)
        {
            return null;
        }

        using var bitmap = SKBitmap.Decode(codec, new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Bgra8888, SKAlphaType.Unpremul));
        return bitmap is null ? null : Recognize(bitmap);
    }

    public (string Text, float Confidence) Recognize(SKBitmap bitmap)
    {
        var buffers = Prepare(bitmap);
        _input[0] = buffers.Input;
        if (buffers.Output is null)
        {
            FirstRun(buffers);
        }
        else
        {
            _output[0] = buffers.Output;
            _session.Session.Run(_runOptions, _inputNames, _input, _outputNames, _output);
        }

        return Decoder.Decode(buffers.OutputData, _text);
    }

    /// <summary>
    /// Preprocesses the image into the pinned input buffer for its tensor width and returns the buffers, whose
    /// <see cref="Buffers.Input"/> is the <see cref="OrtValue"/> over it: the tensor path, allocation-free once a
    /// width has been seen.
    /// </summary>
    public Buffers Prepare(SKBitmap bitmap)
    {
        var layout = bitmap.ColorType switch
        {
            SKColorType.Bgra8888 => PixelLayout.Bgra32,
            SKColorType.Rgba8888 => PixelLayout.Rgba32,
            SKColorType.Gray8 => PixelLayout.Gray8,
            _ => throw new NotSupportedException($"images of colour type {bitmap.ColorType} are not supported; decode to BGRA, RGBA or grey"),
        };
        var resized = OcrPreprocessor.ResizedWidth(bitmap.Width, bitmap.Height);
        var width = OcrPreprocessor.TensorWidth(resized, _minWidth);
        if (!_buffers.TryGetValue(width, out var buffers))
        {
            if (_buffers.Count >= MaxKeptWidths)
            {
                ReleaseBuffers();
            }

            buffers = new Buffers(width);
            _buffers[width] = buffers;
        }

        OcrPreprocessor.Fill(bitmap.GetPixelSpan(), bitmap.Width, bitmap.Height, bitmap.RowBytes, layout, resized, width, buffers.InputData);
        return buffers;
    }

    /// <summary>The first run at a width learns the output's shape and allocates the buffer later runs write into.</summary>
    private void FirstRun(Buffers buffers)
    {
        using var results = _session.Session.Run(_runOptions, _inputNames, _input, _outputNames);
        buffers.SetOutput(results[0].GetTensorTypeAndShape().Shape, results[0].GetTensorDataAsSpan<float>());
    }

    public void Dispose()
    {
        ReleaseBuffers();
        _runOptions.Dispose();
        _session.Dispose();
    }

    private void ReleaseBuffers()
    {
        foreach (var buffers in _buffers.Values)
        {
            buffers.Dispose();
        }

        _buffers.Clear();
    }

    /// <summary>The pinned input and output tensors for one tensor width.</summary>
    public sealed class Buffers : IDisposable
    {
        private readonly float[] _input;
        private float[] _output = [];

        internal Buffers(int width)
        {
            Width = width;
            _input = GC.AllocateArray<float>(OcrPreprocessor.TensorLength(width), pinned: true);
            Input = OrtValue.CreateTensorValueFromMemory(_input, [1, 3, OcrPreprocessor.Height, width]);
        }

        public int Width { get; }

        public OrtValue Input { get; }

        public OrtValue? Output { get; private set; }

        public Span<float> InputData => _input;

        public ReadOnlySpan<float> OutputData => _output;

        internal void SetOutput(long[] shape, ReadOnlySpan<float> first)
        {
            _output = GC.AllocateArray<float>(first.Length, pinned: true);
            first.CopyTo(_output);
            Output = OrtValue.CreateTensorValueFromMemory(_output, shape);
        }

        public void Dispose()
        {
            Input.Dispose();
            Output?.Dispose();
        }
    }
}
