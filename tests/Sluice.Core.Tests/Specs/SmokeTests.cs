using Sluice.Core.Specs;
using Sluice.Core.Yaml;

namespace Sluice.Core.Tests.Specs;

public sealed class SmokeTests
{
    [Fact]
    public void Endpoint_WithUnknownKey_IsRejectedWithSuggestion()
    {
        var result = SpecReader.Read("name: my-endpoint\ndescrption: x\n", "endpoint.yml", null, SpecReadOptions.Cli, DocumentKind.BatchEndpoint);
        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, d => d.ToString() == "endpoint.yml:2:1: unknown key 'descrption'; did you mean 'description'?");
    }
}
