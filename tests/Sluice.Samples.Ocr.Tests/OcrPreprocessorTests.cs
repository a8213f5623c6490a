using Samples.Ocr;

namespace Sluice.Samples.Ocr.Tests;

public sealed class OcrPreprocessorTests
{
    [Theory]
    [InlineData(100, 24, 200)]
    [InlineData(300, 48, 300)]
    [InlineData(10, 100, 5)]
    [InlineData(100000, 10, OcrPreprocessor.MaxWidth)]
    public void ResizedWidth_KeepsTheAspectRatioAtHeight48(int width, int height, int resized) =>
        Assert.Equal(resized, OcrPreprocessor.ResizedWidth(width, height));

    [Theory]
    [InlineData(5, 64)]
    [InlineData(64, 64)]
    [InlineData(65, 72)]
    [InlineData(201, 208)]
    public void TensorWidth_IsRoundedUpToTheStrideAndAtLeastTheMinimum(int resized, int tensor) =>
        Assert.Equal(tensor, OcrPreprocessor.TensorWidth(resized));

    [Fact]
    public void Fill_WhiteIsOneBlackIsMinusOneAndThePaddingIsZero()
    {
        // 4x2 grey image: left half white, right half black, resized to 96 columns in a tensor 104 wide.
        byte[] pixels = [255, 255, 0, 0, 255, 255, 0, 0];
        var tensor = new float[OcrPreprocessor.TensorLength(104)];
        tensor.AsSpan().Fill(float.NaN);

        OcrPreprocessor.Fill(pixels, 4, 2, 4, PixelLayout.Gray8, 96, 104, tensor);

        var plane = OcrPreprocessor.Height * 104;
        for (var c = 0; c < 3; c++)
        {
            for (var y = 0; y < OcrPreprocessor.Height; y++)
            {
                var row = tensor.AsSpan((c * plane) + (y * 104), 104);
                Assert.Equal(1f, row[0]);
                Assert.Equal(1f, row[30]);
                Assert.Equal(-1f, row[70]);
                Assert.Equal(-1f, row[95]);
                Assert.All(row[96..].ToArray(), v => Assert.Equal(0f, v));
            }
        }

        Assert.All(tensor, v => Assert.InRange(v, -1f, 1f));
    }

    [Fact]
    public void Fill_WritesChannelsInBgrOrder_FromRgbaAndBgraPixels()
    {
        // One red pixel, in both byte orders.
        byte[] rgba = [255, 0, 0, 255];
        byte[] bgra = [0, 0, 255, 255];
        var fromRgba = new float[OcrPreprocessor.TensorLength(64)];
        var fromBgra = new float[OcrPreprocessor.TensorLength(64)];

        OcrPreprocessor.Fill(rgba, 1, 1, 4, PixelLayout.Rgba32, 48, 64, fromRgba);
        OcrPreprocessor.Fill(bgra, 1, 1, 4, PixelLayout.Bgra32, 48, 64, fromBgra);

        var plane = OcrPreprocessor.Height * 64;
        Assert.Equal(fromRgba, fromBgra);
        Assert.Equal(-1f, fromRgba[0]);          // blue
        Assert.Equal(-1f, fromRgba[plane]);      // green
        Assert.Equal(1f, fromRgba[2 * plane]);   // red
    }

    [Fact]
    public void Fill_GreyLevelsAreNormalisedAsPaddleOcrDoes()
    {
        byte[] pixels = [51];
        var tensor = new float[OcrPreprocessor.TensorLength(64)];

        OcrPreprocessor.Fill(pixels, 1, 1, 1, PixelLayout.Gray8, 48, 64, tensor);

        Assert.Equal(((51 / 255f) - 0.5f) / 0.5f, tensor[0], 1e-6f);
    }

    [Fact]
    public void Fill_BufferTooSmall_Throws() =>
        Assert.Throws<ArgumentException>(() => OcrPreprocessor.Fill(new byte[4], 2, 2, 2, PixelLayout.Gray8, 96, 96, new float[10]));

    [Fact]
    public void Prepare_RenderedLine_GivesATensorOfHeight48AndTheRoundedWidth()
    {
        using var renderer = new TextLineRenderer();
        using var bitmap = SkiaSharp.SKBitmap.Decode(renderer.RenderPng("Sluice42", "DejaVuSans", 36));
        using var recognizer = new OcrRecognizer(OcrModel.Path);

        var buffers = recognizer.Prepare(bitmap);

        var expected = OcrPreprocessor.TensorWidth(OcrPreprocessor.ResizedWidth(bitmap.Width, bitmap.Height));
        Assert.Equal(expected, buffers.Width);
        Assert.Equal([1L, 3L, 48L, expected], buffers.Input.GetTensorTypeAndShape().Shape);
        Assert.Equal(OcrPreprocessor.TensorLength(expected), buffers.InputData.Length);
    }
}
