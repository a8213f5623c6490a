using System.Net.Http.Json;
using Microsoft.Extensions.Logging;

namespace Sluice.Cluster.Membership;

/// <summary>
/// The membership table as a compute node sees it: through the API of any Sluice server it was given, so a node needs
/// only server URLs, never database credentials. A server that does not answer is skipped for the next one.
/// </summary>
public sealed partial class HttpMembershipTable(ServerAddresses servers, ILogger<HttpMembershipTable> logger) : IMembershipTable
{
    public const string Route = "/internal/cluster/membership";

    public Task InitializeMembershipTable(bool tryInitTableVersion) =>
        SendAsync(http => http.PostAsync($"{Route}/init?tryInitTableVersion={(tryInitTableVersion ? "true" : "false")}", null));

    public Task DeleteMembershipTableEntries(string clusterId) =>
        SendAsync(http => http.DeleteAsync($"{Route}?clusterId={Uri.EscapeDataString(clusterId)}"));

    public Task CleanupDefunctSiloEntries(DateTimeOffset beforeDate) =>
        SendAsync(http => http.PostAsync($"{Route}/cleanup?before={Uri.EscapeDataString(beforeDate.ToString("O"))}", null));

    public async Task<MembershipTableData> ReadRow(SiloAddress key) =>
        (await ReadAsync<MembershipTableDto>($"{Route}/{Uri.EscapeDataString(key.ToParsableString())}")).ToData();

    public async Task<MembershipTableData> ReadAll() => (await ReadAsync<MembershipTableDto>(Route)).ToData();

    public Task<bool> InsertRow(MembershipEntry entry, TableVersion tableVersion) =>
        WriteAsync(HttpMethod.Post, new MembershipWriteDto(MembershipEntryDto.From(entry), null, tableVersion.Version, tableVersion.VersionEtag));

    public Task<bool> UpdateRow(MembershipEntry entry, string etag, TableVersion tableVersion) =>
        WriteAsync(HttpMethod.Put, new MembershipWriteDto(MembershipEntryDto.From(entry), etag, tableVersion.Version, tableVersion.VersionEtag));

    public Task UpdateIAmAlive(MembershipEntry entry) =>
        SendAsync(http => http.PostAsJsonAsync($"{Route}/alive", MembershipEntryDto.From(entry), MembershipEntryDto.Json));

    private async Task<bool> WriteAsync(HttpMethod method, MembershipWriteDto write)
    {
        var result = await ReadAsync<WriteResult>($"{Route}/rows", http =>
            http.SendAsync(new HttpRequestMessage(method, $"{Route}/rows") { Content = JsonContent.Create(write, options: MembershipEntryDto.Json) }));
        return result.Ok;
    }

    private Task<T> ReadAsync<T>(string path) => ReadAsync<T>(path, http => http.GetAsync(path));

    private async Task<T> ReadAsync<T>(string path, Func<HttpClient, Task<HttpResponseMessage>> send)
    {
        using var response = await SendAsync(send);
        return await response.Content.ReadFromJsonAsync<T>(MembershipEntryDto.Json)
            ?? throw new InvalidOperationException($"The server returned no content for {path}.");
    }

    private async Task<HttpResponseMessage> SendAsync(Func<HttpClient, Task<HttpResponseMessage>> send)
    {
        Exception? last = null;
        foreach (var http in servers.Clients())
        {
            try
            {
                var response = await send(http);
                response.EnsureSuccessStatusCode();
                return response;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                LogServerUnreachable(logger, http.BaseAddress!, ex.Message);
                last = ex;
            }
        }

        throw new OrleansException($"No Sluice server answered the membership request ({last?.Message}).", last!);
    }

    private sealed record WriteResult(bool Ok);

    [LoggerMessage(EventId = 2200, Level = LogLevel.Warning, Message = "Sluice server {Server} did not answer a membership request: {Error}")]
    private static partial void LogServerUnreachable(ILogger logger, Uri server, string error);
}

/// <summary>The Sluice servers a node talks to, in order of preference; the last one that answered is tried first.</summary>
public sealed class ServerAddresses : IDisposable
{
    private readonly HttpClient[] _clients;
    private int _preferred;

    public ServerAddresses(IEnumerable<Uri> servers)
    {
        _clients = servers.Select(s => new HttpClient { BaseAddress = s, Timeout = TimeSpan.FromSeconds(5) }).ToArray();
        if (_clients.Length == 0)
        {
            throw new ArgumentException("At least one server is needed.", nameof(servers));
        }
    }

    public IReadOnlyList<Uri> Servers => _clients.Select(c => c.BaseAddress!).ToList();

    public IEnumerable<HttpClient> Clients()
    {
        var start = Volatile.Read(ref _preferred);
        for (var i = 0; i < _clients.Length; i++)
        {
            var index = (start + i) % _clients.Length;
            Volatile.Write(ref _preferred, index);
            yield return _clients[index];
        }
    }

    public void Dispose()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
    }
}
