using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Npgsql;
using Sluice.Core.Diagnostics;

namespace Sluice.Data.Store;

/// <summary>The database engines the metadata store runs on.</summary>
public enum StoreProvider
{
    /// <summary>An embedded SQLite file in the data directory: one server, nothing to run beside it.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database, which several servers can share.</summary>
    PostgreSql,
}

/// <summary>
/// Which database holds the metadata store, as <c>--store</c> and <c>SLUICE_STORE</c> say it: <c>sqlite</c>, or
/// <c>postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?PARAMETER=VALUE&amp;…]</c> where the query parameters are
/// Npgsql connection parameters (<c>?sslmode=require</c>). <see cref="ToString"/> never shows the password.
/// </summary>
public sealed class StoreLocation
{
    public const string EnvironmentVariable = "SLUICE_STORE";

    public const string SqliteName = "sqlite";

    public const string Usage = "'sqlite' (the default: a file in the data directory) or postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?PARAMETER=VALUE&...]";

    public const string Example = "postgres://sluice:secret@db.example.com:5432/sluice";

    private const int DefaultPort = 5432;

    /// <summary>
    /// How long PostgreSQL lets a session sit inside an open transaction before ending it (milliseconds). Every store
    /// transaction is a few statements issued back to back, so only a server that stopped mid-transaction (frozen by
    /// SIGSTOP, paused in a debugger, cut off by the network) ever reaches it; without it that server's row locks
    /// would block every other server's writes to the same rows (a job's progress, the membership version row)
    /// for as long as it stays frozen. A <c>?options=</c> query parameter that sets it itself wins.
    /// </summary>
    public const int IdleInTransactionTimeoutMs = 10_000;

    private StoreLocation(StoreProvider provider, string? connectionString, string display, bool hasPassword)
    {
        Provider = provider;
        ConnectionString = connectionString;
        Display = display;
        HasPassword = hasPassword;
    }

    /// <summary>The embedded SQLite store (its file is <see cref="StoreOptions.DatabasePath"/>).</summary>
    public static StoreLocation Sqlite { get; } = new(StoreProvider.Sqlite, null, SqliteName, hasPassword: false);

    public StoreProvider Provider { get; }

    /// <summary>The Npgsql connection string for PostgreSQL (null for SQLite). It holds the password: never log it.</summary>
    public string? ConnectionString { get; }

    /// <summary>The location as the user wrote it, less the password: safe for messages and logs.</summary>
    public string Display { get; }

    /// <summary>Whether the URL carried a password (which <see cref="Display"/> leaves out).</summary>
    public bool HasPassword { get; }

    /// <summary><c>SLUICE_STORE</c> when set, else <c>sqlite</c>: the default of <c>--store</c>.</summary>
    public static string DefaultText() =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { } fromEnvironment && !string.IsNullOrWhiteSpace(fromEnvironment) ? fromEnvironment : SqliteName;

    public override string ToString() => Display;

    /// <summary>Parses a store location; throws an invalid-input <see cref="SluiceException"/> that says what is wrong.</summary>
    public static StoreLocation Parse(string? text) =>
        TryParse(text, out var location, out var error) ? location : throw SluiceException.Invalid(error);

    /// <summary>Parses a store location; on failure <paramref name="error"/> names what is wrong (without the password) and shows an example.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out StoreLocation? location, [NotNullWhen(false)] out string? error)
    {
        location = null;
        var value = text?.Trim() ?? string.Empty;
        if (value.Length == 0)
        {
            error = $"The store is empty: write {Usage}, e.g. {Example}.";
            return false;
        }

        if (value.Equals(SqliteName, StringComparison.OrdinalIgnoreCase))
        {
            location = Sqlite;
            error = null;
            return true;
        }

        var schemeEnd = value.IndexOf("://", StringComparison.Ordinal);
        var scheme = schemeEnd > 0 ? value[..schemeEnd] : null;
        if (scheme is not null && scheme.Equals(SqliteName, StringComparison.OrdinalIgnoreCase))
        {
            error = $"'{Redact(value)}' is not a store: SQLite takes no URL; write 'sqlite' and choose its folder with --data-dir (the file is sluice.db there), or a PostgreSQL URL such as {Example}.";
            return false;
        }

        if (scheme is null && (value.Contains('=', StringComparison.Ordinal) || value.Contains(';', StringComparison.Ordinal)))
        {
            error = $"The store looks like a connection string, which Sluice does not take: write {Usage}, e.g. {Example}.";
            return false;
        }

        if (scheme is null || !(scheme.Equals("postgres", StringComparison.OrdinalIgnoreCase) || scheme.Equals("postgresql", StringComparison.OrdinalIgnoreCase)))
        {
            error = $"'{Redact(value)}' is not a store Sluice knows: write {Usage}, e.g. {Example}.";
            return false;
        }

        error = ParsePostgres(value, scheme.ToLowerInvariant(), value[(schemeEnd + 3)..], out location);
        return error is null;
    }

    /// <summary>
    /// Hides the password in a URL that may be malformed, for echoing it back: everything from the first ':' after the
    /// scheme up to the last '@' (which may hide more than the password, never less), and password query parameters.
    /// </summary>
    private static string Redact(string text)
    {
        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            return text;
        }

        var rest = text[(schemeEnd + 3)..];
        var at = rest.LastIndexOf('@');
        var colon = rest.IndexOf(':', StringComparison.Ordinal);
        if (at >= 0 && colon >= 0 && colon < at)
        {
            rest = rest[..colon] + ":***" + rest[at..];
        }

        var query = rest.IndexOf('?', StringComparison.Ordinal);
        if (query >= 0)
        {
            var parameters = rest[(query + 1)..].Split('&').Select(p =>
            {
                var equals = p.IndexOf('=', StringComparison.Ordinal);
                return equals >= 0 && IsSecret(Uri.UnescapeDataString(p[..equals])) ? p[..(equals + 1)] + "***" : p;
            });
            rest = rest[..(query + 1)] + string.Join('&', parameters);
        }

        return text[..(schemeEnd + 3)] + rest;
    }

    private static string? ParsePostgres(string value, string scheme, string rest, out StoreLocation? location)
    {
        location = null;
        var shown = Redact(value);
        string Problem(string what, string fix) => $"The PostgreSQL URL '{shown}' {what}: {fix}, e.g. {Example}.";

        if (rest.Contains('#', StringComparison.Ordinal))
        {
            return Problem("has a '#' fragment", "remove it (percent-encode a '#' in a password as %23)");
        }

        var queryStart = rest.IndexOf('?', StringComparison.Ordinal);
        var query = queryStart < 0 ? string.Empty : rest[(queryStart + 1)..];
        var beforeQuery = queryStart < 0 ? rest : rest[..queryStart];
        var slash = beforeQuery.IndexOf('/', StringComparison.Ordinal);
        var authority = slash < 0 ? beforeQuery : beforeQuery[..slash];
        var path = slash < 0 ? string.Empty : beforeQuery[(slash + 1)..];

        var at = authority.LastIndexOf('@');
        if (at < 0)
        {
            return Problem("names no user", "write USER@ before the host");
        }

        var userInfo = authority[..at];
        var hostPort = authority[(at + 1)..];
        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        if (!TryUnescape(colon < 0 ? userInfo : userInfo[..colon], out var user) || !TryUnescape(colon < 0 ? string.Empty : userInfo[(colon + 1)..], out var password))
        {
            return Problem("has a malformed %-escape in its user or password", "write '%' followed by two hex digits, e.g. %40 for '@'");
        }

        if (user.Length == 0)
        {
            return Problem("names no user", "write USER@ before the host");
        }

        string host;
        string? portText = null;
        if (hostPort.StartsWith('['))
        {
            var close = hostPort.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return Problem("has an IPv6 host without its closing ']'", "write the address in brackets, e.g. [::1]:5432");
            }

            host = hostPort[1..close];
            var after = hostPort[(close + 1)..];
            if (after.Length > 0)
            {
                if (!after.StartsWith(':'))
                {
                    return Problem($"has '{after}' after its host", "write HOST[:PORT]");
                }

                portText = after[1..];
            }
        }
        else
        {
            var portColon = hostPort.LastIndexOf(':');
            host = portColon < 0 ? hostPort : hostPort[..portColon];
            portText = portColon < 0 ? null : hostPort[(portColon + 1)..];
        }

        if (host.Length == 0)
        {
            return Problem("names no host", "write the server's name or address after '@'");
        }

        var port = DefaultPort;
        if (portText is not null && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
        {
            return Problem($"has the port '{portText}', which is not a number from 1 to 65535", "write HOST:PORT, or leave the port out for 5432");
        }

        if (path.Length == 0)
        {
            return Problem("names no database", "add /DATABASE after the host");
        }

        if (path.Contains('/', StringComparison.Ordinal))
        {
            return Problem($"has the path '/{path}', but a database name is one segment", "write /DATABASE after the host (percent-encode a '/' in the name as %2F)");
        }

        if (!TryUnescape(path, out var database))
        {
            return Problem("has a malformed %-escape in its database name", "write '%' followed by two hex digits");
        }

        var builder = new NpgsqlConnectionStringBuilder();
        var shownParameters = new List<string>();
        foreach (var parameter in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = parameter.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || !TryUnescape(parameter[..equals], out var key) || !TryUnescape(parameter[(equals + 1)..], out var parameterValue))
            {
                return Problem($"has the query parameter '{(IsSecret(parameter) ? "***" : parameter)}', which is not NAME=VALUE", "write ?NAME=VALUE&NAME=VALUE with Npgsql connection parameters");
            }

            var given = IsSecret(key) ? $"{key}=***" : $"{key}={parameterValue}";
            var single = new NpgsqlConnectionStringBuilder();
            if (!single.ContainsKey(key))
            {
                return Problem($"has the query parameter '{given}', which is not an Npgsql connection parameter", "use Npgsql's parameters, such as ?sslmode=require or ?timeout=30");
            }

            try
            {
                single[key] = parameterValue;
                builder[key] = parameterValue;
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException or OverflowException)
            {
                var reason = IsSecret(key) ? string.Empty : $" ({FirstSentence((ex.InnerException ?? ex).Message)})";
                return Problem($"has the query parameter '{given}', whose value Npgsql does not accept{reason}", "give a value the parameter takes, e.g. ?sslmode=require or ?timeout=30");
            }

            if (single.Host is not null || single.Username is not null || single.Password is not null || single.Database is not null || single.Port != DefaultPort)
            {
                return Problem($"sets '{key}' in its query, which the URL itself says", "write the user, password, host, port and database in their places in the URL");
            }

            shownParameters.Add(IsSecret(key) ? $"{key}=***" : parameter);
        }

        if (builder.Options?.Contains("idle_in_transaction_session_timeout", StringComparison.Ordinal) != true)
        {
            builder.Options = $"{builder.Options} -c idle_in_transaction_session_timeout={IdleInTransactionTimeoutMs}".TrimStart();
        }

        builder.Host = host;
        builder.Port = port;
        builder.Username = user;
        builder.Database = database;
        if (password.Length > 0)
        {
            builder.Password = password;
        }

        var display = new StringBuilder()
            .Append(scheme).Append("://")
            .Append(userInfo[..(colon < 0 ? userInfo.Length : colon)]).Append('@')
            .Append(hostPort.StartsWith('[') ? $"[{host}]" : host).Append(':').Append(port.ToString(CultureInfo.InvariantCulture))
            .Append('/').Append(path);
        if (shownParameters.Count > 0)
        {
            display.Append('?').Append(string.Join('&', shownParameters));
        }

        location = new StoreLocation(StoreProvider.PostgreSql, builder.ConnectionString, display.ToString(), password.Length > 0);
        return null;
    }

    private static bool TryUnescape(string text, out string value)
    {
        for (var i = text.IndexOf('%', StringComparison.Ordinal); i >= 0; i = text.IndexOf('%', i + 1))
        {
            if (i + 2 >= text.Length || !Uri.IsHexDigit(text[i + 1]) || !Uri.IsHexDigit(text[i + 2]))
            {
                value = string.Empty;
                return false;
            }
        }

        value = Uri.UnescapeDataString(text);
        return true;
    }

    private static bool IsSecret(string key)
    {
        var normalized = key.Replace(" ", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
        return normalized.Contains("password", StringComparison.Ordinal) || normalized is "pwd" or "psw";
    }

    private static string FirstSentence(string message)
    {
        var line = message.Split('\n')[0].Trim();
        var parameter = line.IndexOf(" (Parameter ", StringComparison.Ordinal);
        line = parameter >= 0 ? line[..parameter] : line;
        return line.EndsWith('.') ? line[..^1] : line;
    }
}
