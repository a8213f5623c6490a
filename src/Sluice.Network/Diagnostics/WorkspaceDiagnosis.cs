namespace Sluice.Network.Diagnostics;

public enum FindingLevel
{
    /// <summary>Jobs or deployments fail until it is fixed.</summary>
    Error,

    /// <summary>Something may fail, partly fail, or could not be checked.</summary>
    Warning,

    /// <summary>Worth knowing; nothing fails because of it.</summary>
    Information,
}

/// <summary>The groups findings are reported in, as Azure Machine Learning's workspace diagnostics groups them.</summary>
public enum DiagnosisGroup
{
    UserDefinedRoutes,
    NetworkSecurityRules,
    DnsResolution,
    StorageAccount,

    /// <summary>Azure's Key Vault; Sluice's secret store.</summary>
    KeyVault,

    /// <summary>The container registry.</summary>
    ContainerRegistry,
    Other,
}

/// <summary>
/// One problem: a stable <see cref="Code"/> (see <see cref="DiagnosisCodes"/>), its level, a message that says what is
/// wrong and how to fix it, and the resource to change, written <c>&lt;kind&gt;:&lt;name&gt;</c> (e.g.
/// <c>network_security_group:nsg-compute</c>, <c>storage_account:mystorage</c>, <c>subnet:vnet1/compute</c>).
/// </summary>
public sealed record DiagnosisFinding
{
    public required string Code { get; init; }

    public required FindingLevel Level { get; init; }

    public required string Message { get; init; }

    public string? Resource { get; init; }

    public override string ToString() => $"{Level} {Code}{(Resource is null ? string.Empty : $" [{Resource}]")}: {Message}";
}

/// <summary>
/// The result of <see cref="WorkspaceDiagnostics.Diagnose"/>: findings per group. A clean group is an empty list.
/// </summary>
/// <remarks>
/// Serialisable as it stands: only the properties below are data (strings, an enum, lists of
/// <see cref="DiagnosisFinding"/>); the helpers are methods. With snake_case naming and enums as strings the JSON is
/// <c>{"workspace", "rules", "user_defined_routes": [{"code", "level", "message", "resource"}], "network_security_rules",
/// "dns_resolution", "storage_account", "key_vault", "container_registry", "other"}</c>, matching the group names of
/// Azure's diagnose output.
/// </remarks>
public sealed record WorkspaceDiagnosis
{
    public required string Workspace { get; init; }

    public required DiagnosisRules Rules { get; init; }

    public IReadOnlyList<DiagnosisFinding> UserDefinedRoutes { get; init; } = [];

    public IReadOnlyList<DiagnosisFinding> NetworkSecurityRules { get; init; } = [];

    public IReadOnlyList<DiagnosisFinding> DnsResolution { get; init; } = [];

    public IReadOnlyList<DiagnosisFinding> StorageAccount { get; init; } = [];

    public IReadOnlyList<DiagnosisFinding> KeyVault { get; init; } = [];

    public IReadOnlyList<DiagnosisFinding> ContainerRegistry { get; init; } = [];

    public IReadOnlyList<DiagnosisFinding> Other { get; init; } = [];

    /// <summary>The findings of one group.</summary>
    public IReadOnlyList<DiagnosisFinding> Group(DiagnosisGroup group) => group switch
    {
        DiagnosisGroup.UserDefinedRoutes => UserDefinedRoutes,
        DiagnosisGroup.NetworkSecurityRules => NetworkSecurityRules,
        DiagnosisGroup.DnsResolution => DnsResolution,
        DiagnosisGroup.StorageAccount => StorageAccount,
        DiagnosisGroup.KeyVault => KeyVault,
        DiagnosisGroup.ContainerRegistry => ContainerRegistry,
        DiagnosisGroup.Other => Other,
        _ => throw new ArgumentOutOfRangeException(nameof(group), group, null),
    };

    /// <summary>Every finding, group by group in the order of <see cref="DiagnosisGroup"/>.</summary>
    public IEnumerable<DiagnosisFinding> AllFindings() => Enum.GetValues<DiagnosisGroup>().SelectMany(Group);

    public bool HasErrors() => AllFindings().Any(f => f.Level == FindingLevel.Error);
}
