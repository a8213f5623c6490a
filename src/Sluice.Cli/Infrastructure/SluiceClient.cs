using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sluice.Cli.Infrastructure;

/// <summary>
/// The CLI's side of the REST API. Every failure becomes a <see cref="CliException"/> carrying the server's problem
/// details (title, detail, hint, per-line errors) and the exit code for its class.
/// </summary>
public sealed class SluiceClient(HttpClient http, string workspace)
{
    public string Workspace { get; } = workspace;

    public Uri BaseAddress => http.BaseAddress!;

    /// <summary>A path under the current workspace, each segment escaped.</summary>
    public string W(params string[] segments) =>
        $"/workspaces/{Uri.EscapeDataString(Workspace)}" + string.Concat(segments.Select(s => "/" + Uri.EscapeDataString(s)));

    public Task<JsonObject> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, path), cancellationToken);

    public Task<JsonObject> PutAsync(string path, string json, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Put, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") }, cancellationToken);

    public Task<JsonObject> PostAsync(string path, string json, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? headers = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        foreach (var (key, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(key, value);
        }

        return SendAsync(request, cancellationToken);
    }

    public async Task DeleteAsync(string path, CancellationToken cancellationToken) =>
        await SendAsync(new HttpRequestMessage(HttpMethod.Delete, path), cancellationToken);

    /// <summary>True when the GET succeeds, false on 404; other failures throw.</summary>
    public async Task<JsonObject?> TryGetAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await GetAsync(path, cancellationToken);
        }
        catch (CliException ex) when (ex.Data["status"] is HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task UploadAsync(string path, Stream content, bool overwrite, CancellationToken cancellationToken)
    {
        var body = new StreamContent(content, 256 * 1024);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        await SendAsync(new HttpRequestMessage(HttpMethod.Put, $"{path}?overwrite={(overwrite ? "true" : "false")}") { Content = body }, cancellationToken);
    }

    /// <summary>Sends one block of a block upload (a PUT of raw bytes) and returns the server's answer.</summary>
    public Task<JsonObject> PutBytesAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var body = new ReadOnlyMemoryContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return SendAsync(new HttpRequestMessage(HttpMethod.Put, path) { Content = body }, cancellationToken);
    }

    /// <summary>Streams a download into <paramref name="destination"/>.</summary>
    public async Task DownloadAsync(string path, Stream destination, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(new HttpRequestMessage(HttpMethod.Get, path), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await using var source = await response.Content.ReadAsStreamAsync(cancellationToken);
        await source.CopyToAsync(destination, cancellationToken);
    }

    private async Task<JsonObject> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return text.Length == 0 ? [] : JsonNode.Parse(text) as JsonObject ?? [];
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, completion, cancellationToken);
        }
        catch (HttpRequestException ex) when (ex.InnerException is SocketException || ex.HttpRequestError == HttpRequestError.ConnectionError)
        {
            throw new CliException(
                $"Cannot reach the Sluice server at {http.BaseAddress}: {ex.InnerException?.Message ?? ex.Message}.",
                ExitCodes.Error,
                hint: "start it with './sluice server', or point the CLI at a running server with --server <url> or SLUICE_SERVER");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliException($"The Sluice server at {http.BaseAddress} did not answer in time.", ExitCodes.Error);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw await ToExceptionAsync(request, response, cancellationToken);
        }
    }

    private static async Task<CliException> ToExceptionAsync(HttpRequestMessage request, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        string? title = null, detail = null, hint = null;
        var details = new List<string>();
        try
        {
            if (JsonNode.Parse(text) is JsonObject problem)
            {
                title = (string?)problem["title"];
                detail = (string?)problem["detail"];
                hint = (string?)problem["hint"];
                if (problem["errors"] is JsonArray errors)
                {
                    foreach (var error in errors.OfType<JsonObject>())
                    {
                        details.Add($"{(string?)error["location"]}: {(string?)error["message"]}");
                    }
                }
            }
        }
        catch (JsonException)
        {
            detail = text.Length > 300 ? text[..300] : text;
        }

        var status = (int)response.StatusCode;
        var message = detail ?? title ?? $"{request.Method} {request.RequestUri} failed with {status} {response.ReasonPhrase}";
        if (title is not null && detail is not null && details.Count == 0 && !detail.StartsWith(title, StringComparison.Ordinal) && title is not ("Bad request" or "Not found" or "Conflict"))
        {
            message = $"{title}: {detail}";
        }

        var exception = new CliException(message, status is >= 400 and < 500 ? ExitCodes.Invalid : ExitCodes.Error, details.Count > 1 ? details : details.Count == 1 && details[0] != message ? details : null, hint);
        exception.Data["status"] = response.StatusCode;
        return exception;
    }
}
