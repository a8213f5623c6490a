using System.Net;
using Sluice.Cli.Infrastructure;
using Sluice.IntegrationTests.Infrastructure;
using static Sluice.IntegrationTests.Infrastructure.SampleSpecs;
using static Sluice.IntegrationTests.Network.NetworkSamples;

namespace Sluice.IntegrationTests.Network;

/// <summary>Service tags: Azure's file imported (over a spec's 1 MiB limit), user-defined tags, and rules that use them.</summary>
public sealed class NetworkServiceTagTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private const string StorageRule = """
        type: network_security_group
        name: nsg-out
        security_rules:
          - name: to-storage
            priority: 100
            direction: Outbound
            access: Allow
            protocol: Tcp
            source_address_prefix: VirtualNetwork
            destination_address_prefix: Storage.WestEurope
            destination_port_range: "443"
        """;

    [Fact]
    public async Task Import_OfThousandsOfTags_IsListedShownAndUsableInRules()
    {
        var cli = await shared.WorkspaceAsync("tags-import");
        using var folder = new TempFolder("tags");
        var text = ServiceTagFile(3000);
        Assert.True(text.Length > 1024 * 1024, $"the generated file has {text.Length} bytes; it must exceed the 1 MiB spec limit");
        var file = folder.Write("ServiceTags_Public.json", text);
        var rule = folder.Write("nsg.yml", StorageRule);

        var beforeImport = await cli.RunAsync("network", "nsg", "create", "-f", rule);
        var imported = (await cli.OkAsync("network", "service-tag", "import", "-f", file)).Json();
        await cli.OkAsync("network", "service-tag", "create", "-f", folder.Write("tag.yml", ServiceTag));
        var list = (await cli.OkAsync("network", "service-tag", "list", "-o", "json")).Json().AsArray();
        var table = await cli.OkAsync("network", "service-tag", "list");
        var shown = (await cli.OkAsync("network", "service-tag", "show", "-n", "storage.westeurope")).Json();
        await cli.OkAsync("network", "nsg", "create", "-f", rule);
        var typo = await cli.RunAsync("network", "nsg", "create", "-f", rule, "-n", "nsg-typo", "--set", "security_rules=[{name: r, priority: 100, direction: Outbound, access: Allow, protocol: Tcp, source_address_prefix: VirtualNetwork, destination_address_prefix: Storage.WestEurop, destination_port_range: '443'}]");

        Assert.True(beforeImport.ExitCode == ExitCodes.Invalid, beforeImport.ToString());
        Assert.Contains("service tag 'Storage.WestEurope' is not defined", beforeImport.Error, StringComparison.Ordinal);
        Assert.Equal(("Public", "3000", "36000"), (At(imported, "name"), At(imported, "tag_count"), At(imported, "prefix_count")));
        Assert.Equal("/workspaces/tags-import/service-tag-sets/Public", At(imported, "id"));
        Assert.Equal([("OnPremLab", "user", "1"), ("Public", "imported", "36000")], list.Select(r => (At(r, "name")!, At(r, "source")!, At(r, "prefix_count")!)));
        Assert.Contains("Public", table.Out, StringComparison.Ordinal);
        Assert.Equal(("Storage.WestEurope", "imported", "Public", "12"), (At(shown, "name"), At(shown, "source"), At(shown, "service_tag_set"), shown["address_prefixes"]!.AsArray().Count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.True(typo.ExitCode == ExitCodes.Invalid, typo.ToString());
        Assert.Contains("(did you mean 'Storage.WestEurope'?)", typo.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportedSet_UsedByARule_CannotBeDeletedOrReplacedWithoutTheTag()
    {
        var cli = await shared.WorkspaceAsync("tags-delete");
        using var folder = new TempFolder("tags");
        await cli.OkAsync("network", "service-tag", "import", "-f", folder.Write("v1.json", ServiceTagFile(5)));
        await cli.OkAsync("network", "nsg", "create", "-f", folder.Write("nsg.yml", StorageRule));
        var replacement = ServiceTagFile(5, changeNumber: 2).Replace("Storage.WestEurope", "Storage.NorthEurope", StringComparison.Ordinal);

        var deleteRefused = await cli.RunAsync("network", "service-tag", "delete-set", "-n", "Public", "--yes");
        var replaceRefused = await cli.RunAsync("network", "service-tag", "import", "-f", folder.Write("v2.json", replacement));
        var renamed = (await cli.OkAsync("network", "service-tag", "import", "-f", folder.Write("v2.json", replacement), "-n", "Public2")).Json();
        await cli.OkAsync("network", "nsg", "delete", "-n", "nsg-out", "--yes");
        await cli.OkAsync("network", "service-tag", "delete-set", "-n", "Public", "--yes");

        Assert.True(deleteRefused.ExitCode == ExitCodes.Invalid, deleteRefused.ToString());
        Assert.Contains("Service tag set 'Public' would leave service tags that rules use undefined: network security group 'nsg-out' (security_rules[0].destination_address_prefix: Storage.WestEurope).", deleteRefused.Error, StringComparison.Ordinal);
        Assert.Contains("The new edition of service tag set 'Public' would leave service tags", replaceRefused.Error, StringComparison.Ordinal);
        Assert.Equal("Public2", At(renamed, "name"));
        Assert.Equal(["Public2"], (await cli.OkAsync("network", "service-tag", "list", "-o", "json")).Json().AsArray().Select(r => At(r, "name")));
    }

    [Fact]
    public async Task Import_OfABrokenFile_ListsItsProblems()
    {
        await shared.WorkspaceAsync("tags-broken");
        using var api = new RawApi(shared.Url);

        var notJson = await api.ProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "/workspaces/tags-broken/service-tags/import", RawApi.Json("{\"cloud\": \"Public\",\n\"values\": [}"));
        var badPrefix = await api.ProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "/workspaces/tags-broken/service-tags/import", RawApi.Json("""{"cloud": "Public", "values": [{"name": "A", "properties": {"addressPrefixes": ["1.2.3/24"]}}]}"""));

        Assert.Equal("2", At(notJson["errors"]![0], "line"));
        Assert.Equal("values[0] ('A').properties.addressPrefixes[0]: '1.2.3' is not an IP address; write four numbers from 0 to 255, e.g. 10.0.0.4", At(badPrefix["errors"]![0], "message"));
        Assert.Equal(HttpStatusCode.NotFound, await api.StatusOfAsync("/workspaces/tags-broken/service-tag-sets/Public"));
    }
}
