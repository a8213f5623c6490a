using System.Net;
using System.Text;
using Sluice.IntegrationTests.Infrastructure;

namespace Sluice.IntegrationTests.Api;

public sealed class RequestBodyTests
{
    private const string EndpointPath = "/workspaces/default/batchEndpoints/scorer";

    [Theory]
    [InlineData("{\"description\": \"trailing comma\",}")]
    [InlineData("{\"description\": \"truncated\"")]
    public async Task MalformedJsonBody_IsRefusedWith400ProblemDetails_AndCreatesNothing(string body)
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var api = new RawApi(server.Url);

        var problem = await api.ProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Put, EndpointPath, RawApi.Json(body));

        Assert.Contains("not well-formed JSON", (string?)problem["detail"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, await api.StatusOfAsync(EndpointPath));
    }

    [Fact]
    public async Task MalformedJsonInvocation_IsRefusedWith400ProblemDetails()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var api = new RawApi(server.Url);
        await new CliDriver(server.Url).OkAsync("batch-endpoint", "create", "-n", "scorer");

        var problem = await api.ProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Post, $"{EndpointPath}/jobs", RawApi.Json("{\"properties\": {\"InputData\": {},}}"));

        Assert.Contains("not well-formed JSON", (string?)problem["detail"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task OversizeJsonBody_IsRefusedWith413ProblemDetails_AndCreatesNothing(bool declaresLength)
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var api = new RawApi(server.Url);
        var body = Encoding.UTF8.GetBytes($"{{\"description\": \"{new string('a', (1024 * 1024) + 1)}\"}}");
        HttpContent content = declaresLength ? new ByteArrayContent(body) : new StreamContent(new UnknownLengthStream(body));
        content.Headers.ContentType = new("application/json");

        var problem = await api.ProblemAsync(HttpStatusCode.RequestEntityTooLarge, HttpMethod.Put, EndpointPath, content);

        Assert.Contains("larger than 1024 KiB", (string?)problem["detail"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, await api.StatusOfAsync(EndpointPath));
    }

    [Fact]
    public async Task WrongContentType_IsRefusedWith415ProblemDetailsSayingWhatToSend_AndCreatesNothing()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var api = new RawApi(server.Url);

        var problem = await api.ProblemAsync(HttpStatusCode.UnsupportedMediaType, HttpMethod.Put, EndpointPath, RawApi.Body("name,description\nscorer,csv\n", "text/csv"));

        Assert.Contains("Content-Type 'text/csv' is not accepted; send application/json or application/yaml", (string?)problem["detail"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, await api.StatusOfAsync(EndpointPath));
    }

    [Fact]
    public async Task WrongContentType_OnInvoke_IsRefusedWith415ProblemDetailsSayingWhatToSend()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var api = new RawApi(server.Url);
        await new CliDriver(server.Url).OkAsync("batch-endpoint", "create", "-n", "scorer");

        var problem = await api.ProblemAsync(HttpStatusCode.UnsupportedMediaType, HttpMethod.Post, $"{EndpointPath}/jobs", RawApi.Body("a,b\n1,2\n", "text/csv"));

        Assert.Contains("Content-Type 'text/csv' is not accepted", (string?)problem["detail"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/yaml")]
    [InlineData("application/x-yaml")]
    [InlineData("text/yaml")]
    [InlineData("text/plain")]
    public async Task YamlBody_WithAnyAcceptedMediaType_CreatesTheResource(string mediaType)
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var api = new RawApi(server.Url);

        using var response = await api.SendAsync(HttpMethod.Put, EndpointPath, RawApi.Body("description: sent as YAML\n", mediaType));

        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("sent as YAML", (string?)(await api.GetAsync(EndpointPath))["description"]);
    }

    [Fact]
    public async Task OpenApiDocument_DescribesSpecAndInvocationBodies()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var api = new RawApi(server.Url);

        var document = await api.GetAsync("/openapi/v1.json");

        var specBody = document["paths"]!["/workspaces/{ws}/batchEndpoints/{name}"]!["put"]!["requestBody"]!["content"]!.AsObject();
        Assert.Contains("application/json", specBody.Select(p => p.Key));
        Assert.Contains("application/yaml", specBody.Select(p => p.Key));
        var invokeBody = document["paths"]!["/workspaces/{ws}/batchEndpoints/{name}/jobs"]!["post"]!["requestBody"]!["content"]!.AsObject();
        Assert.Equal(["application/json"], invokeBody.Select(p => p.Key));
        Assert.NotNull(invokeBody["application/json"]!["schema"]);
    }

    /// <summary>A body sent chunked, without Content-Length, so the server finds out its size only by reading it.</summary>
    private sealed class UnknownLengthStream(byte[] content) : MemoryStream(content)
    {
        public override bool CanSeek => false;
    }
}
