using System.Text;
using Sluice.Network.Addressing;
using Sluice.Network.Model;
using Sluice.Network.Tags;
using Sluice.Network.Tests.TestSupport;
using static Sluice.Network.Tests.TestSupport.Net;

namespace Sluice.Network.Tests.Tags;

public sealed class ServiceTagFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("sluice-network-tags-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string SampleJson(int extraTags = 0)
    {
        var json = new StringBuilder("""
            {
              "changeNumber": 314,
              "cloud": "Public",
              "values": [
                {
                  "name": "Storage",
                  "id": "Storage",
                  "properties": {
                    "changeNumber": 120,
                    "region": "",
                    "regionId": 0,
                    "platform": "Azure",
                    "systemService": "AzureStorage",
                    "addressPrefixes": ["13.69.40.0/24", "20.60.0.0/16", "2603:1020:203::/48"],
                    "networkFeatures": ["API", "NSG", "UDR", "FW"]
                  }
                },
                {
                  "name": "Storage.WestEurope",
                  "id": "Storage.WestEurope",
                  "properties": {
                    "changeNumber": 40,
                    "region": "westeurope",
                    "regionId": 18,
                    "platform": "Azure",
                    "systemService": "AzureStorage",
                    "addressPrefixes": ["13.69.40.0/24", "2603:1020:203::/48"],
                    "networkFeatures": ["API", "NSG"],
                    "nested": { "name": "not a tag", "addressPrefixes": ["not a prefix"] }
                  }
                }
            """);
        for (var i = 0; i < extraTags; i++)
        {
            json.Append(",{\"name\":\"Synthetic").Append(i).Append("\",\"id\":\"x\",\"properties\":{\"changeNumber\":1,\"region\":\"\",\"platform\":\"Azure\",\"systemService\":\"Synthetic\",\"addressPrefixes\":[");
            for (var p = 0; p < 50; p++)
            {
                json.Append(p == 0 ? string.Empty : ",").Append("\"40.").Append(i % 200).Append('.').Append(p).Append(".0/24\",\"2603:10").Append(10 + (i % 80)).Append(':').Append(p).Append("::/48\"");
            }

            json.Append("],\"networkFeatures\":[\"NSG\"]}}");
        }

        return json.Append("]}").ToString();
    }

    [Fact]
    public void ReadFile_KeepsNamesRegionsServicesAndPrefixes()
    {
        var path = Path.Combine(_folder, "ServiceTags_Public.json");
        File.WriteAllText(path, SampleJson());

        var file = ServiceTagFileReader.ReadFile(path);

        Assert.Equal((314L, "Public", 2), (file.ChangeNumber, file.Cloud, file.Tags.Count));
        var regional = file.Tags[1];
        Assert.Equal(("Storage.WestEurope", "westeurope", "AzureStorage", ServiceTagOrigin.AzurePublished), (regional.Name, regional.Region, regional.SystemService, regional.Origin));
        Assert.Equal(["13.69.40.0/24", "2603:1020:203::/48"], regional.AddressPrefixes.Select(p => p.ToString()));
        Assert.Null(file.Tags[0].Region);
    }

    [Fact]
    public void Read_WithTheStreamDeliveringAFewBytesAtATime_GivesTheSameTags()
    {
        var bytes = Encoding.UTF8.GetBytes(SampleJson(extraTags: 20));

        var whole = ServiceTagFileReader.Read(new MemoryStream(bytes));
        var trickled = ServiceTagFileReader.Read(new TrickleStream(bytes, chunk: 3));

        Assert.Equal(22, trickled.Tags.Count);
        Assert.Equal(whole.Tags.SelectMany(t => t.AddressPrefixes), trickled.Tags.SelectMany(t => t.AddressPrefixes));
        Assert.Equal(whole.Tags.Select(t => t.Name), trickled.Tags.Select(t => t.Name));
    }

    [Fact]
    public async Task ReadAsync_ReadsTheSameFile()
    {
        var file = await ServiceTagFileReader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(SampleJson())), TestContext.Current.CancellationToken);

        Assert.Equal(["Storage", "Storage.WestEurope"], file.Tags.Select(t => t.Name));
    }

    [Fact]
    public void Read_AFileLargerThanAzures_ReadsEveryTagAndPrefix()
    {
        var bytes = Encoding.UTF8.GetBytes(SampleJson(extraTags: 3000));

        var file = ServiceTagFileReader.Read(new MemoryStream(bytes));

        Assert.True(bytes.Length > 4_000_000, $"the synthetic file should be at least as large as Azure's (~4 MB), was {bytes.Length}");
        Assert.Equal(3002, file.Tags.Count);
        Assert.Equal(5 + (3000 * 100), file.Tags.Sum(t => t.AddressPrefixes.Count));
    }

    [Theory]
    [InlineData("{\"values\":[{\"name\":\"Bad\",\"properties\":{\"addressPrefixes\":[\"13.69.40.1/24\"]}}]}", "malformed prefix in tag 'Bad'")]
    [InlineData("{\"values\":[{\"name\":\"Bad\",\"properties\":{\"addressPrefixes\":[\"13.69.40.0/24\"", "not valid JSON")]
    [InlineData("{\"values\":[{\"properties\":{\"addressPrefixes\":[]}}]}", "a tag without a name")]
    public void Read_MalformedFile_SaysWhatIsWrong(string json, string expected)
    {
        var error = Assert.Throws<NetworkException>(() => ServiceTagFileReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(json))));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadedTags_AreUsableInRules_RegionalTagsBeingSubsetsOfTheirService()
    {
        var tags = ServiceTagSet.Default.With(ServiceTagFileReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(SampleJson()))));
        var network = Compile(b => b
            .WithServiceTags(tags)
            .Add(Vnet("vnet", "10.0.0.0/16", Subnet("app", "10.0.1.0/24", nsg: "nsg")))
            .Add(Nsg(
                "nsg",
                Rule.Allow("storage-westeurope", 100, SecurityRuleDirection.Outbound, dst: "Storage.WestEurope", dstPorts: "443"),
                Rule.Deny("other-storage", 110, SecurityRuleDirection.Outbound, dst: "storage")))
            .Add(Nic("vm", "vnet", "app", "10.0.1.4")));

        Assert.Equal("storage-westeurope", network.Send("vm", "13.69.40.7").DecidingRule!.RuleName);
        Assert.Equal("other-storage", network.Send("vm", "20.60.5.5").DecidingRule!.RuleName);
    }

    [Fact]
    public void TagSet_RejectsRedefinitionsButLetsPublishedTagsReplaceBuiltIns()
    {
        var set = ServiceTagSet.Default.With([new ServiceTag { Name = "AzureLoadBalancer", AddressPrefixes = [IpPrefix.Parse("168.63.129.16/32")], Origin = ServiceTagOrigin.AzurePublished }]);

        Assert.Equal(ServiceTagOrigin.AzurePublished, set.TryGetTag("azureloadbalancer", out var tag) ? tag.Origin : ServiceTagOrigin.BuiltIn);
        Assert.Contains("computed for each subnet", Assert.Throws<ArgumentException>(() => set.With([new ServiceTag { Name = "VirtualNetwork", AddressPrefixes = [] }])).Message, StringComparison.Ordinal);
        var sluice = set.With(SluiceServiceTags.Create(["10.50.0.0/24"], ["10.50.1.0/24"]));
        Assert.Contains("defined twice", Assert.Throws<ArgumentException>(() => sluice.With(SluiceServiceTags.Create(["10.60.0.0/24"], []))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SluiceTags_ComeFromConfiguration_AndWorkInRules()
    {
        var network = Compile(b => b
            .WithServiceTags(ServiceTagSet.Default.With(SluiceServiceTags.Create(["10.50.0.0/24"], ["10.50.1.0/24", "fd00:50::/64"])))
            .Add(Vnet("vnet", "10.0.0.0/16", Subnet("nodes", "10.0.1.0/24", nsg: "nsg")))
            .Add(Nsg("nsg", Rule.Allow("from-node-management", 100, src: SluiceServiceTags.NodeManagement, dstPorts: "22", protocol: SecurityRuleProtocol.Tcp)))
            .Add(Nic("node", "vnet", "nodes", "10.0.1.4")));

        Assert.Equal(SecurityRuleAccess.Allow, network.Receive("10.50.1.9", "node", 22).Access);
        Assert.Equal(SecurityRuleAccess.Deny, network.Receive("10.50.0.9", "node", 22).Access);
    }

    /// <summary>A stream that hands out at most a few bytes per read, so tokens straddle buffer refills.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => data.Length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(Math.Min(chunk, count), data.Length - _position);
            Array.Copy(data, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
