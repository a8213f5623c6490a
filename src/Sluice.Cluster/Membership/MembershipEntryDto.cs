using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sluice.Cluster.Membership;

/// <summary>
/// A membership entry as stored in Sluice's database and sent over Sluice's API: plain JSON, so the table does not
/// depend on Orleans' binary serializer and can be read by an operator.
/// </summary>
public sealed record MembershipEntryDto
{
    public required string Silo { get; init; }

    public required SiloStatus Status { get; init; }

    public List<SuspectDto> SuspectTimes { get; init; } = [];

    public int ProxyPort { get; init; }

    public string? HostName { get; init; }

    public string? SiloName { get; init; }

    public string? RoleName { get; init; }

    public int UpdateZone { get; init; }

    public int FaultZone { get; init; }

    public DateTime StartTime { get; init; }

    public DateTime IAmAliveTime { get; init; }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
    };

    public static MembershipEntryDto From(MembershipEntry entry) => new()
    {
        Silo = entry.SiloAddress.ToParsableString(),
        Status = entry.Status,
        SuspectTimes = entry.SuspectTimes?.Select(s => new SuspectDto(s.Item1.ToParsableString(), Utc(s.Item2))).ToList() ?? [],
        ProxyPort = entry.ProxyPort,
        HostName = entry.HostName,
        SiloName = entry.SiloName,
        RoleName = entry.RoleName,
        UpdateZone = entry.UpdateZone,
        FaultZone = entry.FaultZone,
        StartTime = Utc(entry.StartTime),
        IAmAliveTime = Utc(entry.IAmAliveTime),
    };

    public MembershipEntry ToEntry() => new()
    {
        SiloAddress = SiloAddress.FromParsableString(Silo),
        Status = Status,
        SuspectTimes = SuspectTimes.Select(s => Tuple.Create(SiloAddress.FromParsableString(s.Silo), s.Time)).ToList(),
        ProxyPort = ProxyPort,
        HostName = HostName ?? string.Empty,
        SiloName = SiloName ?? string.Empty,
        RoleName = RoleName ?? string.Empty,
        UpdateZone = UpdateZone,
        FaultZone = FaultZone,
        StartTime = StartTime,
        IAmAliveTime = IAmAliveTime,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static MembershipEntryDto FromJson(string json) => JsonSerializer.Deserialize<MembershipEntryDto>(json, Json)
        ?? throw new InvalidOperationException("Empty membership entry.");

    private static DateTime Utc(DateTime value) => value.Kind == DateTimeKind.Utc ? value : DateTime.SpecifyKind(value.ToUniversalTime(), DateTimeKind.Utc);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Silo} {Status}");
}

public sealed record SuspectDto(string Silo, DateTime Time);

/// <summary>The whole table or one row, with etags, as Sluice's API returns it.</summary>
public sealed record MembershipTableDto(int Version, string VersionEtag, List<MembershipRowDto> Rows)
{
    public MembershipTableData ToData() =>
        new(Rows.Select(r => Tuple.Create(r.Entry.ToEntry(), r.ETag)).ToList(), new TableVersion(Version, VersionEtag));

    public static MembershipTableDto From(MembershipTableData data) =>
        new(data.Version.Version, data.Version.VersionEtag, data.Members.Select(m => new MembershipRowDto(MembershipEntryDto.From(m.Item1), m.Item2)).ToList());
}

public sealed record MembershipRowDto(MembershipEntryDto Entry, string ETag);

/// <summary>A write to the table: the entry, the row etag it expects (updates), and the new table version.</summary>
public sealed record MembershipWriteDto(MembershipEntryDto Entry, string? ETag, int Version, string VersionEtag);
