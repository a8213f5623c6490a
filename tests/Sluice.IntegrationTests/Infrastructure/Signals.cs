using System.Diagnostics;
using System.Globalization;

namespace Sluice.IntegrationTests.Infrastructure;

/// <summary>Sends POSIX signals the way an operator does, with <c>kill</c>.</summary>
public static class Signals
{
    public static async Task SendAsync(int pid, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", pid.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {pid} exited with {kill.ExitCode}");
        }
    }
}
