using Sluice.Core.Specs.Network;

namespace Sluice.Core.Tests.Specs.Network;

public sealed class ServiceTagFileTests
{
    private const string Sample = """
        {
          "changeNumber": 321,
          "cloud": "Public",
          "values": [
            {
              "name": "Storage.WestEurope",
              "id": "Storage.WestEurope",
              "properties": {
                "changeNumber": 12,
                "region": "westeurope",
                "regionId": 18,
                "platform": "Azure",
                "systemService": "AzureStorage",
                "addressPrefixes": ["20.60.0.0/16", "2603:1020:200::/46"],
                "networkFeatures": ["API", "NSG"]
              }
            },
            {
              "name": "AzureCloud",
              "id": "AzureCloud",
              "properties": { "changeNumber": 40, "region": "", "platform": "Azure", "systemService": "", "addressPrefixes": ["13.64.0.1/11"] }
            }
          ]
        }
        """;

    [Fact]
    public void Read_AzuresFormat_GivesTheTagsWithCanonicalPrefixes()
    {
        var (set, diagnostics) = ServiceTagFile.Read(Sample, "tags.json");

        Assert.Empty(diagnostics);
        Assert.NotNull(set);
        Assert.Equal(("Public", 321L, 2, 3), (set.Cloud, set.ChangeNumber, set.Values.Count, set.PrefixCount));
        var storage = set.Find("storage.westeurope");
        Assert.NotNull(storage);
        Assert.Equal(("westeurope", "AzureStorage", 18L), (storage.Region, storage.SystemService, storage.RegionId));
        Assert.Equal(["20.60.0.0/16", "2603:1020:200::/46"], storage.AddressPrefixes);
        Assert.Equal(["API", "NSG"], storage.NetworkFeatures);
        var cloud = set.Find("AzureCloud")!;
        Assert.Null(cloud.Region);
        Assert.Equal(["13.64.0.0/11"], cloud.AddressPrefixes);
    }

    [Fact]
    public void Write_ThenRead_GivesTheSameSet()
    {
        var (set, _) = ServiceTagFile.Read(Sample, "tags.json");

        var written = ServiceTagFile.Write(set!);
        var (again, diagnostics) = ServiceTagFile.Read(written, "stored");

        Assert.Empty(diagnostics);
        Assert.Equal(written, ServiceTagFile.Write(again!));
        Assert.StartsWith("""{"changeNumber":321,"cloud":"Public","values":[{"name":"Storage.WestEurope","id":"Storage.WestEurope","properties":{"changeNumber":12,"region":"westeurope","regionId":18,""", written, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NotJson_ReportsLineAndColumn()
    {
        var (set, diagnostics) = ServiceTagFile.Read("{\n  \"cloud\": \"Public\",\n  \"values\": [ }\n", "tags.json");

        Assert.Null(set);
        var problem = Assert.Single(diagnostics);
        Assert.StartsWith("tags.json:3:", problem.ToString(), StringComparison.Ordinal);
        Assert.Contains("not valid JSON", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WithBadEntries_ReportsEachByPath()
    {
        var (set, diagnostics) = ServiceTagFile.Read(
            """{"changeNumber": 1, "values": [{"name": "A", "properties": {"addressPrefixes": ["1.2.3.0/24", "nope"]}}, {"name": "A", "properties": {"addressPrefixes": []}}, {"properties": {}}, 7]}""",
            "tags.json");

        Assert.Null(set);
        Assert.Equal(
            [
                "tags.json: $: missing 'cloud'",
                "tags.json: values[0] ('A').properties.addressPrefixes[1]: 'nope' is not a CIDR block; write <address>/<prefix length>, e.g. 10.0.0.0/16",
                "tags.json: values[1]: tag 'A' is listed twice (first at values[0])",
                "tags.json: values[2]: missing 'name'",
                "tags.json: values[2].properties: expected 'addressPrefixes': [...]",
                "tags.json: values[3]: expected an object with 'name' and 'properties'",
            ],
            diagnostics.Select(d => d.ToString()));
    }

    [Fact]
    public void Read_WithThousandsOfProblems_ListsTheFirstFifty()
    {
        var values = string.Join(",", Enumerable.Range(0, 200).Select(i => $$$"""{"name": "T{{{i}}}", "properties": {"addressPrefixes": ["bad"]}}"""));

        var (_, diagnostics) = ServiceTagFile.Read($$"""{"cloud": "Public", "values": [{{values}}]}""", "tags.json");

        Assert.Equal(ServiceTagFile.MaxReported + 1, diagnostics.Count);
        Assert.Equal("tags.json: and 150 more problems", diagnostics[^1].ToString());
    }
}
