using Sluice.Cli.Infrastructure;
using Sluice.IntegrationTests.Infrastructure;
using static Sluice.IntegrationTests.Network.NetworkSamples;

namespace Sluice.IntegrationTests.Network;

/// <summary><c>sluice validate</c> on a network written as one file of several documents, offline.</summary>
public sealed class NetworkValidateTests
{
    private const string NoServer = "http://127.0.0.1:1";

    [Fact]
    public async Task Validate_GoodNetworkFile_ReportsEachDocument()
    {
        using var folder = new TempFolder("validate");
        var file = folder.Write("network.yml", string.Join("\n---\n", Vnet, Nsg, RouteTable, NatGateway, Asg, Nic, StorageAccount, PrivateEndpoint, SecretStore, Registry, ServiceTag));

        var result = await new CliDriver(NoServer).RunAsync("validate", "-f", file);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Contains($"{file}:1: valid (a virtual network 'vnet1')", result.Out, StringComparison.Ordinal);
        Assert.Contains($"{file}:11: valid (a network security group 'nsg-compute')", result.Out, StringComparison.Ordinal);
        Assert.Contains("valid (a private endpoint 'pe-blob')", result.Out, StringComparison.Ordinal);
        Assert.Equal(11, result.Out.Split('\n').Count(l => l.Contains(": valid (", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Validate_NetworkFileWithProblems_ReportsEveryOneAtItsLine()
    {
        using var folder = new TempFolder("validate");
        var bad = Vnet.Replace("10.0.2.0/24", "10.0.1.128/25", StringComparison.Ordinal) + "\n---\n" + Nic.Replace("10.0.1.10", "10.0.3.10", StringComparison.Ordinal) + "---\n" + Asg.Replace("asg-web", "-asg", StringComparison.Ordinal);
        var file = folder.Write("network.yml", bad);

        var result = await new CliDriver(NoServer).RunAsync("validate", "-f", file);
        var json = (await new CliDriver(NoServer).RunAsync("validate", "-f", file, "-o", "json")).Json().AsArray();

        Assert.True(result.ExitCode == ExitCodes.Invalid, result.ToString());
        Assert.Contains($"{file}:9:21: subnets[1].address_prefix: 10.0.1.128/25 overlaps 10.0.1.0/24 of subnet 'compute'; subnets must not overlap", result.Error, StringComparison.Ordinal);
        Assert.Contains($"{file}:17:7: name: '-asg' is not a valid name", result.Error, StringComparison.Ordinal);
        Assert.Contains("1 of 1 file invalid.", result.Error, StringComparison.Ordinal);
        Assert.Equal([1, 2, 3], json.Select(d => (int)d!["document"]!));
        Assert.Equal([false, true, false], json.Select(d => (bool)d!["valid"]!));
        Assert.Equal("network_interface", (string?)json[1]!["kind"]);
    }

    [Fact]
    public async Task Validate_AddressOutsideItsSubnetInTheSameFile_IsReported()
    {
        using var folder = new TempFolder("validate");
        var file = folder.Write("network.yml", Vnet + "\n---\n" + Nic.Replace("10.0.1.10", "10.0.3.10", StringComparison.Ordinal));

        var result = await new CliDriver(NoServer).RunAsync("validate", "-f", file);

        Assert.True(result.ExitCode == ExitCodes.Invalid, result.ToString());
        Assert.Contains($"{file}:14:21: private_ip_address: 10.0.3.10 is not in subnet 'vnet1/compute' (10.0.1.0/24)", result.Error, StringComparison.Ordinal);
    }
}
