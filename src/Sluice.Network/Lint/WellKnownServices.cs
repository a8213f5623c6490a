using Sluice.Network.Addressing;
using Sluice.Network.Model;

namespace Sluice.Network.Lint;

/// <summary>A service people name rules after, with the protocols and ports it uses.</summary>
public sealed record WellKnownService(string Name, IReadOnlyList<SecurityRuleProtocol> Protocols, IReadOnlyList<PortRange> Ports);

/// <summary>
/// The services the linter recognises in rule names and descriptions (as whole words: <c>Allow-SSH</c>,
/// <c>AllowHttpsInbound</c>, <c>allow_postgres</c>). A mention of <c>tcp</c>, <c>udp</c>, <c>icmp</c> or <c>ping</c>
/// names a protocol, and a number from 1 to 65535 (other than the rule's own priority) names a port.
/// </summary>
public static class WellKnownServices
{
    private static readonly SecurityRuleProtocol[] Tcp = [SecurityRuleProtocol.Tcp];
    private static readonly SecurityRuleProtocol[] TcpUdp = [SecurityRuleProtocol.Tcp, SecurityRuleProtocol.Udp];

    public static IReadOnlyDictionary<string, WellKnownService> ByWord { get; } = Build(
        new("ssh", Tcp, [new(22, 22)]),
        new("sftp", Tcp, [new(22, 22)]),
        new("rdp", TcpUdp, [new(3389, 3389)]),
        new("http", Tcp, [new(80, 80)]),
        new("https", Tcp, [new(443, 443)]),
        new("tls", Tcp, [new(443, 443)]),
        new("dns", TcpUdp, [new(53, 53)]),
        new("smtp", Tcp, [new(25, 25)]),
        new("ftp", Tcp, [new(20, 21)]),
        new("ntp", [SecurityRuleProtocol.Udp], [new(123, 123)]),
        new("ldap", TcpUdp, [new(389, 389)]),
        new("ldaps", Tcp, [new(636, 636)]),
        new("kerberos", TcpUdp, [new(88, 88)]),
        new("smb", Tcp, [new(445, 445)]),
        new("nfs", TcpUdp, [new(2049, 2049)]),
        new("sql", Tcp, [new(1433, 1433)]),
        new("mssql", Tcp, [new(1433, 1433)]),
        new("mysql", Tcp, [new(3306, 3306)]),
        new("postgres", Tcp, [new(5432, 5432)]),
        new("postgresql", Tcp, [new(5432, 5432)]),
        new("redis", Tcp, [new(6379, 6380)]),
        new("mongodb", Tcp, [new(27017, 27017)]),
        new("amqp", Tcp, [new(5671, 5672)]),
        new("kafka", Tcp, [new(9092, 9093)]),
        new("winrm", Tcp, [new(5985, 5986)]));

    private static Dictionary<string, WellKnownService> Build(params WellKnownService[] services) =>
        services.ToDictionary(s => s.Name, StringComparer.OrdinalIgnoreCase);
}
