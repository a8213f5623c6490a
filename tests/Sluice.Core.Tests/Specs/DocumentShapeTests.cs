using Sluice.Core.Specs;
using Sluice.Core.Tests.TestSupport;

namespace Sluice.Core.Tests.Specs;

/// <summary>Problems with the document as a whole, found before any resource reader runs.</summary>
public sealed class DocumentShapeTests
{
    [Fact]
    public void MalformedYaml_ReportsTheSyntaxErrorWithLineAndColumn()
    {
        var result = Spec.Read("name: my-endpoint\n  description: x\n", DocumentKind.BatchEndpoint);

        Spec.SingleError(result, "spec.yml:2:14: not valid YAML: While scanning a plain scalar value, found invalid mapping");
        Assert.Equal(DocumentKind.BatchEndpoint, result.Kind);
    }

    [Fact]
    public void UnterminatedQuote_PointsAtWhereTheStringOpens()
    {
        var result = Spec.Read("name: my-endpoint\ndescription: \"unfinished\n", DocumentKind.BatchEndpoint);

        Spec.SingleError(result, "spec.yml:2:14: not valid YAML: While scanning a quoted scalar, found unexpected end of stream");
    }

    [Fact]
    public void DuplicateKey_IsReportedAtItsSecondOccurrence()
    {
        var result = Spec.Read("name: my-endpoint\ndescription: a\nname: other-endpoint\n", DocumentKind.BatchEndpoint);

        Spec.SingleError(result, "spec.yml:3:1: not valid YAML: duplicate key 'name': each key may appear only once in a mapping");
    }

    [Fact]
    public void DuplicateNestedKey_IsReportedWhereItIs()
    {
        var result = Spec.Read("name: my-dpl\nmodel: azureml:m:1\nsettings:\n  mini_batch_size: 1\n  mini_batch_size: 2\n");

        Spec.SingleError(result, "spec.yml:5:3: not valid YAML: duplicate key 'mini_batch_size': each key may appear only once in a mapping");
    }

    [Fact]
    public void SeveralDocuments_AreRejectedAtTheSecondOne()
    {
        var result = Spec.Read("name: endpoint-a\n---\nname: endpoint-b\n", DocumentKind.BatchEndpoint);

        Spec.SingleError(result, "spec.yml:3:1: holds more than one YAML document ('---'); put each resource in its own file");
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    [InlineData("---\n")]
    [InlineData("~\n")]
    public void EmptyDocument_AsksForAMapping(string text)
    {
        var result = Spec.Read(text, DocumentKind.BatchEndpoint);

        Spec.SingleError(result, "spec.yml: the document is empty; expected a mapping of keys such as 'name:'");
    }

    [Theory]
    [InlineData("- name: a\n- name: b\n", "a list")]
    [InlineData("just text\n", "'just text'")]
    public void TopLevelThatIsNotAMapping_SaysWhatItGot(string text, string got)
    {
        var result = Spec.Read(text, DocumentKind.BatchEndpoint);

        Spec.SingleError(result, $"spec.yml:1:1: expected a mapping of keys such as 'name:' at the top level, got {got}");
    }

    [Fact]
    public void NonScalarKey_IsRejected()
    {
        var result = Spec.Read("name: my-endpoint\n? [a, b]\n: x\n", DocumentKind.BatchEndpoint);

        Spec.SingleError(result, "spec.yml:2:3: keys must be plain words; a list is not");
    }

    [Fact]
    public void JsonText_IsReadLikeYaml()
    {
        var result = Spec.Read("{\"name\": \"my-endpoint\", \"auth_mode\": \"aad_token\"}");

        Assert.Equal("my-endpoint", Spec.Valid<BatchEndpointSpec>(result).Name);
    }

    [Fact]
    public void Require_OnAValidSpec_ReturnsIt()
    {
        var endpoint = Spec.Read("name: my-endpoint\n", DocumentKind.BatchEndpoint).Require<BatchEndpointSpec>();

        Assert.Equal("my-endpoint", endpoint.Name);
    }

    [Fact]
    public void Require_OnAnInvalidSpec_ThrowsWithEveryProblem()
    {
        var result = Spec.Read("name: x\nauth_mode: key\n", DocumentKind.BatchEndpoint);

        var exception = Assert.Throws<Sluice.Core.Diagnostics.SpecException>(result.Require<BatchEndpointSpec>);

        Assert.Equal(2, exception.Diagnostics.Count);
        Assert.StartsWith("The spec has 2 problems; the first: spec.yml:", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Require_OfTheWrongType_NamesWhatTheDocumentIs()
    {
        var result = Spec.Read("name: my-endpoint\n", DocumentKind.BatchEndpoint);

        var exception = Assert.Throws<Sluice.Core.Diagnostics.SpecException>(result.Require<ComputeSpec>);

        Assert.Contains("expected a ComputeSpec, but the document describes a BatchEndpoint", exception.Message, StringComparison.Ordinal);
    }
}
