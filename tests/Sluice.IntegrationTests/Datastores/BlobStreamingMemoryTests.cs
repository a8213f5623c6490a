using System.Diagnostics;
using System.Text;
using Sluice.Data.Datastores.Blob;
using Sluice.IntegrationTests.Infrastructure;

namespace Sluice.IntegrationTests.Datastores;

/// <summary>
/// A 1 GiB blob written and read back through the blob client, with this process's memory measured throughout: alone
/// in its collection, because garbage collection lags on a machine busy with other tests and the peak then says more
/// about the load than about the code.
/// </summary>
[Collection(MeasuredAlone.Name)]
public sealed class BlobStreamingMemoryTests(AzuriteServer azurite)
{
    private const long Size = 1L << 30;
    private const int LineLength = 64;

    [Fact]
    public async Task OneGibibyteBlob_IsUploadedInStagedBlocksAndStreamedBack_WithMemoryFarBelowItsSize()
    {
        var ct = TestContext.Current.CancellationToken;
        var container = await azurite.CreateContainerAsync("memory", ct);
        try
        {
            var client = new BlobDatastoreClient(container.Access("big_store"));
            using var memory = MemoryWatch.Start();

            var upload = Stopwatch.StartNew();
            await using (var writing = await client.BeginWriteAsync("big/lines.csv", overwrite: false, ct))
            {
                var chunk = Lines(1 << 20, out _);
                for (long written = 0; written < Size; written += chunk.Length)
                {
                    await writing.Content.WriteAsync(chunk, ct);
                }

                await writing.CommitAsync(ct);
            }

            upload.Stop();
            var afterUpload = memory.Peaks();

            var download = Stopwatch.StartNew();
            long bytes = 0, lines = 0;
            await using (var reading = await client.OpenReadAsync("big/lines.csv", ct))
            {
                var buffer = new byte[1 << 20];
                int read;
                while ((read = await reading.ReadAsync(buffer, ct)) > 0)
                {
                    bytes += read;
                    lines += buffer.AsSpan(0, read).Count((byte)'\n');
                }
            }

            download.Stop();
            var peaks = memory.Peaks();
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"1 GiB: upload {upload.Elapsed.TotalSeconds:0.0} s, download {download.Elapsed.TotalSeconds:0.0} s; " +
                $"managed heap +{afterUpload.Managed >> 20} MiB while uploading, +{peaks.Managed >> 20} MiB in all; " +
                $"working set +{afterUpload.WorkingSet >> 20} MiB while uploading, +{peaks.WorkingSet >> 20} MiB in all (of {memory.Baseline >> 20} MiB before)");

            Assert.Equal(Size, (await client.GetItemAsync("big/lines.csv", ct))!.Length);
            Assert.Equal(Size, bytes);
            Assert.Equal(Size / LineLength, lines);

            // One 8 MiB block being staged and one 4 MiB read buffer at a time, plus the HTTP stack's own buffers: the
            // process grows by a small fraction of the 1 GiB it moved.
            Assert.True(peaks.Managed < 64L << 20, $"the managed heap grew by {peaks.Managed >> 20} MiB");
            Assert.True(peaks.WorkingSet < 160L << 20, $"the working set grew by {peaks.WorkingSet >> 20} MiB");
        }
        finally
        {
            await container.Client.DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
        }
    }

    /// <summary>Fixed-length CSV lines (a row number and a filler) filling about <paramref name="size"/> bytes.</summary>
    private static byte[] Lines(int size, out int count)
    {
        var text = new StringBuilder(size);
        for (count = 0; text.Length + LineLength <= size; count++)
        {
            text.Append(count.ToString("D12", System.Globalization.CultureInfo.InvariantCulture)).Append(',').Append('x', LineLength - 14).Append('\n');
        }

        return Encoding.ASCII.GetBytes(text.ToString());
    }

    /// <summary>
    /// Samples the managed heap and the working set every few milliseconds and keeps their peaks above the baseline
    /// taken (after a full collection) at the start.
    /// </summary>
    private sealed class MemoryWatch : IDisposable
    {
        private readonly Timer _timer;
        private readonly long _managedBaseline;
        private long _managedPeak;
        private long _workingSetPeak;

        private MemoryWatch()
        {
            _managedBaseline = GC.GetTotalMemory(forceFullCollection: true);
            Baseline = Environment.WorkingSet;
            _timer = new Timer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(5));
        }

        public long Baseline { get; }

        public static MemoryWatch Start() => new();

        public (long Managed, long WorkingSet) Peaks()
        {
            Sample();
            return (Interlocked.Read(ref _managedPeak) - _managedBaseline, Interlocked.Read(ref _workingSetPeak) - Baseline);
        }

        public void Dispose() => _timer.Dispose();

        private void Sample()
        {
            Max(ref _managedPeak, GC.GetTotalMemory(forceFullCollection: false));
            Max(ref _workingSetPeak, Environment.WorkingSet);
        }

        private static void Max(ref long peak, long value)
        {
            var current = Interlocked.Read(ref peak);
            while (value > current)
            {
                var seen = Interlocked.CompareExchange(ref peak, value, current);
                if (seen == current)
                {
                    return;
                }

                current = seen;
            }
        }
    }
}
