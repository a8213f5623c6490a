namespace Samples.Ocr;

/// <summary>The pixel layouts <see cref="OcrPreprocessor.Fill"/> reads.</summary>
public enum PixelLayout
{
    Bgra32,
    Rgba32,
    Gray8,
}

/// <summary>
/// PaddleOCR's recognition preprocessing: the text line is resized (bilinear, aspect ratio kept) to height 48, each
/// channel normalised as (x / 255 − 0.5) / 0.5, laid out CHW in BGR order (PaddleOCR reads images with OpenCV), and
/// the columns right of the resized line up to the tensor's width are left at 0, as PaddleOCR pads. Allocation-free.
/// </summary>
public static class OcrPreprocessor
{
    public const int Height = 48;

    /// <summary>The model's horizontal stride: the tensor's width is rounded up to it so no column is wasted.</summary>
    public const int WidthStep = 8;

    /// <summary>Lines wider than this after resizing are squeezed to it.</summary>
    public const int MaxWidth = 1280;

    /// <summary>
    /// A minimum tensor width: narrower lines are padded to it. 64 was measured faster than PaddleOCR's 320 with the same
    /// accuracy (the model's cost grows with the width).
    /// </summary>
    public const int DefaultMinWidth = 64;

    /// <summary>The width of the line resized to <see cref="Height"/>, aspect ratio kept.</summary>
    public static int ResizedWidth(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        return Math.Clamp((int)Math.Ceiling(Height * (double)width / height), 1, MaxWidth);
    }

    /// <summary>The tensor's width for a line of <paramref name="resizedWidth"/>: rounded up to the stride, at least the minimum.</summary>
    public static int TensorWidth(int resizedWidth, int minWidth = DefaultMinWidth) =>
        Math.Max(RoundUp(minWidth), RoundUp(resizedWidth));

    /// <summary>Floats a [1, 3, 48, <paramref name="tensorWidth"/>] input holds.</summary>
    public static int TensorLength(int tensorWidth) => 3 * Height * tensorWidth;

    /// <summary>
    /// Resizes and normalises the image in <paramref name="pixels"/> into <paramref name="chw"/>, a [3, 48,
    /// <paramref name="tensorWidth"/>] tensor's data; <paramref name="resizedWidth"/> columns get the line, the rest 0.
    /// </summary>
    public static void Fill(ReadOnlySpan<byte> pixels, int width, int height, int rowBytes, PixelLayout layout, int resizedWidth, int tensorWidth, Span<float> chw)
    {
        var channels = layout == PixelLayout.Gray8 ? 1 : 4;
        if (resizedWidth > tensorWidth || chw.Length < TensorLength(tensorWidth) || pixels.Length < ((height - 1) * rowBytes) + (width * channels))
        {
            throw new ArgumentException($"a {width}x{height} image resized to {resizedWidth} columns does not fit a tensor {tensorWidth} wide in {chw.Length} floats");
        }

        // Byte offsets of blue, green and red within a pixel.
        var (b, g, r) = layout switch
        {
            PixelLayout.Bgra32 => (0, 1, 2),
            PixelLayout.Rgba32 => (2, 1, 0),
            _ => (0, 0, 0),
        };

        // Source columns and weights per target column, as OpenCV's bilinear resize places them (pixel centres).
        Span<int> x0 = stackalloc int[resizedWidth];
        Span<float> wx = stackalloc float[resizedWidth];
        var scaleX = (float)width / resizedWidth;
        for (var x = 0; x < resizedWidth; x++)
        {
            var sx = Math.Max(0f, ((x + 0.5f) * scaleX) - 0.5f);
            var ix = Math.Min((int)sx, width - 1);
            x0[x] = ix;
            wx[x] = ix + 1 < width ? sx - ix : 0f;
        }

        const float Scale = 1f / 127.5f;
        var plane = Height * tensorWidth;
        var scaleY = (float)height / Height;
        for (var y = 0; y < Height; y++)
        {
            var sy = Math.Max(0f, ((y + 0.5f) * scaleY) - 0.5f);
            var iy = Math.Min((int)sy, height - 1);
            var wy = iy + 1 < height ? sy - iy : 0f;
            var top = pixels.Slice(iy * rowBytes);
            var bottom = pixels.Slice(Math.Min(iy + 1, height - 1) * rowBytes);
            var row = y * tensorWidth;
            for (var x = 0; x < resizedWidth; x++)
            {
                var left = x0[x] * channels;
                var right = Math.Min(x0[x] + 1, width - 1) * channels;
                var fx = wx[x];
                chw[row + x] = (Lerp(top, bottom, left + b, right + b, fx, wy) * Scale) - 1f;
                chw[plane + row + x] = (Lerp(top, bottom, left + g, right + g, fx, wy) * Scale) - 1f;
                chw[(2 * plane) + row + x] = (Lerp(top, bottom, left + r, right + r, fx, wy) * Scale) - 1f;
            }

            chw.Slice(row + resizedWidth, tensorWidth - resizedWidth).Clear();
            chw.Slice(plane + row + resizedWidth, tensorWidth - resizedWidth).Clear();
            chw.Slice((2 * plane) + row + resizedWidth, tensorWidth - resizedWidth).Clear();
        }
    }

    private static float Lerp(ReadOnlySpan<byte> top, ReadOnlySpan<byte> bottom, int left, int right, float fx, float fy)
    {
        var upper = top[left] + ((top[right] - top[left]) * fx);
        var lower = bottom[left] + ((bottom[right] - bottom[left]) * fx);
        return upper + ((lower - upper) * fy);
    }

    private static int RoundUp(int width) => (width + WidthStep - 1) / WidthStep * WidthStep;
}
