using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Sluice.IntegrationTests.Infrastructure;

/// <summary>
/// Plain HTTP against a running server, for what the CLI never sends: malformed bodies, wrong media types, unknown
/// routes. Every refusal is checked to be RFC 9457 problem details.
/// </summary>
public sealed class RawApi(string serverUrl) : IDisposable
{
    public const string ProblemMediaType = "application/problem+json";

    private readonly HttpClient _http = new() { BaseAddress = new Uri(serverUrl) };

    public static HttpContent Json(string text) => Body(text, "application/json");

    public static HttpContent Body(string text, string mediaType)
    {
        var content = new StringContent(text, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return content;
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        return await _http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>Sends a request that must be refused with <paramref name="expected"/>, answered as problem details; returns them.</summary>
    public async Task<JsonObject> ProblemAsync(HttpStatusCode expected, HttpMethod method, string path, HttpContent? content = null)
    {
        using var response = await SendAsync(method, path, content);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == expected, $"{method} {path}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        Assert.Equal(ProblemMediaType, response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.Equal((int)expected, (int?)problem["status"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)problem["title"]), $"problem without a title: {text}");
        return problem;
    }

    /// <summary>The status of a GET, for checking that a refused request left nothing behind.</summary>
    public async Task<HttpStatusCode> StatusOfAsync(string path)
    {
        using var response = await SendAsync(HttpMethod.Get, path);
        return response.StatusCode;
    }

    public async Task<JsonObject> GetAsync(string path)
    {
        using var response = await SendAsync(HttpMethod.Get, path);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    public void Dispose() => _http.Dispose();
}
