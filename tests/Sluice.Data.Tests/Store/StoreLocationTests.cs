using Npgsql;
using Sluice.Core.Diagnostics;
using Sluice.Data.Store;

namespace Sluice.Data.Tests.Store;

public sealed class StoreLocationTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("SQLite")]
    [InlineData("  sqlite ")]
    public void Parse_Sqlite_IsTheEmbeddedStore(string text)
    {
        var location = StoreLocation.Parse(text);

        Assert.Equal(StoreProvider.Sqlite, location.Provider);
        Assert.Null(location.ConnectionString);
        Assert.Equal("sqlite", location.ToString());
    }

    [Fact]
    public void Parse_PostgresUrl_GivesNpgsqlEveryPart()
    {
        var location = StoreLocation.Parse("postgres://sluice:secret@db.example.com:6543/metadata");

        Assert.Equal(StoreProvider.PostgreSql, location.Provider);
        var connection = new NpgsqlConnectionStringBuilder(location.ConnectionString);
        Assert.Equal("db.example.com", connection.Host);
        Assert.Equal(6543, connection.Port);
        Assert.Equal("sluice", connection.Username);
        Assert.Equal("secret", connection.Password);
        Assert.Equal("metadata", connection.Database);
        Assert.True(location.HasPassword);
    }

    [Fact]
    public void Parse_PostgresqlSchemeWithoutPortOrPassword_UsesTheDefaults()
    {
        var location = StoreLocation.Parse("postgresql://sluice@127.0.0.1/sluice");

        var connection = new NpgsqlConnectionStringBuilder(location.ConnectionString);
        Assert.Equal(5432, connection.Port);
        Assert.Null(connection.Password);
        Assert.False(location.HasPassword);
        Assert.Equal("postgresql://sluice@127.0.0.1:5432/sluice", location.Display);
    }

    [Fact]
    public void Parse_PercentEncodedParts_AreDecoded()
    {
        var location = StoreLocation.Parse("postgres://team%2Ba:p%40ss%3Aw%2Frd@db/my%20db");

        var connection = new NpgsqlConnectionStringBuilder(location.ConnectionString);
        Assert.Equal("team+a", connection.Username);
        Assert.Equal("p@ss:w/rd", connection.Password);
        Assert.Equal("my db", connection.Database);
    }

    [Fact]
    public void Parse_BracketedIPv6Host_IsGivenWithoutBrackets()
    {
        var location = StoreLocation.Parse("postgres://sluice@[::1]:5433/sluice");

        var connection = new NpgsqlConnectionStringBuilder(location.ConnectionString);
        Assert.Equal("::1", connection.Host);
        Assert.Equal(5433, connection.Port);
        Assert.Equal("postgres://sluice@[::1]:5433/sluice", location.Display);
    }

    [Fact]
    public void Parse_QueryParameters_PassToNpgsql()
    {
        var location = StoreLocation.Parse("postgres://sluice@db/sluice?sslmode=disable&timeout=30&Application%20Name=sluice-test");

        var connection = new NpgsqlConnectionStringBuilder(location.ConnectionString);
        Assert.Equal(SslMode.Disable, connection.SslMode);
        Assert.Equal(30, connection.Timeout);
        Assert.Equal("sluice-test", connection.ApplicationName);
        Assert.EndsWith("?sslmode=disable&timeout=30&Application%20Name=sluice-test", location.Display, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_PostgresUrl_EndsSessionsLeftIdleInATransaction()
    {
        var location = StoreLocation.Parse("postgres://sluice@db/sluice");

        var connection = new NpgsqlConnectionStringBuilder(location.ConnectionString);
        Assert.Equal($"-c idle_in_transaction_session_timeout={StoreLocation.IdleInTransactionTimeoutMs}", connection.Options);
    }

    [Fact]
    public void Parse_OptionsQueryParameter_KeepsItsSettingsAndAddsTheTimeout()
    {
        var location = StoreLocation.Parse("postgres://sluice@db/sluice?options=-c%20statement_timeout%3D60000");

        var connection = new NpgsqlConnectionStringBuilder(location.ConnectionString);
        Assert.Equal($"-c statement_timeout=60000 -c idle_in_transaction_session_timeout={StoreLocation.IdleInTransactionTimeoutMs}", connection.Options);
    }

    [Fact]
    public void Parse_OptionsQueryParameterSettingTheTimeout_Wins()
    {
        var location = StoreLocation.Parse("postgres://sluice@db/sluice?options=-c%20idle_in_transaction_session_timeout%3D0");

        var connection = new NpgsqlConnectionStringBuilder(location.ConnectionString);
        Assert.Equal("-c idle_in_transaction_session_timeout=0", connection.Options);
    }

    [Fact]
    public void Display_LeavesOutEveryPassword()
    {
        var location = StoreLocation.Parse("postgres://sluice:hunter2@db/sluice?sslmode=require&SSL%20Password=hunter3");

        Assert.Equal("postgres://sluice@db:5432/sluice?sslmode=require&SSL Password=***", location.Display);
        Assert.Equal(location.Display, location.ToString());
        Assert.DoesNotContain("hunter", location.Display, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "The store is empty")]
    [InlineData("   ", "The store is empty")]
    [InlineData("postgres", "'postgres' is not a store Sluice knows")]
    [InlineData("mysql://sluice@db/sluice", "'mysql://sluice@db/sluice' is not a store Sluice knows")]
    [InlineData("sqlite:///var/lib/sluice.db", "SQLite takes no URL; write 'sqlite' and choose its folder with --data-dir")]
    [InlineData("postgres://127.0.0.1/sluice", "names no user: write USER@ before the host")]
    [InlineData("postgres://:secret@127.0.0.1/sluice", "names no user")]
    [InlineData("postgres://sluice@/sluice", "names no host")]
    [InlineData("postgres://sluice@db:abc/sluice", "has the port 'abc', which is not a number from 1 to 65535")]
    [InlineData("postgres://sluice@db:70000/sluice", "has the port '70000'")]
    [InlineData("postgres://sluice@db:/sluice", "has the port ''")]
    [InlineData("postgres://sluice@db", "names no database: add /DATABASE after the host")]
    [InlineData("postgres://sluice@db/", "names no database")]
    [InlineData("postgres://sluice@db/a/b", "has the path '/a/b', but a database name is one segment")]
    [InlineData("postgres://sluice@db/sluice#main", "has a '#' fragment")]
    [InlineData("postgres://sluice@[::1/sluice", "IPv6 host without its closing ']'")]
    [InlineData("postgres://sluice@db/sl%zzice", "malformed %-escape in its database name")]
    [InlineData("postgres://sluice@db/sluice?sslmode", "has the query parameter 'sslmode', which is not NAME=VALUE")]
    [InlineData("postgres://sluice@db/sluice?colour=blue", "has the query parameter 'colour=blue', which is not an Npgsql connection parameter")]
    [InlineData("postgres://sluice@db/sluice?sslmode=sometimes", "has the query parameter 'sslmode=sometimes', whose value Npgsql does not accept (Requested value 'sometimes' was not found)")]
    [InlineData("postgres://sluice@db/sluice?timeout=soon", "'timeout=soon', whose value Npgsql does not accept")]
    [InlineData("Host=db;Username=sluice", "looks like a connection string, which Sluice does not take")]
    [InlineData("postgres://sluice@db/sluice?host=other", "sets 'host' in its query, which the URL itself says")]
    [InlineData("postgres://sluice@db/sluice?Database=other", "sets 'Database' in its query")]
    public void TryParse_Malformed_SaysWhatIsWrongAndShowsAnExample(string text, string expected)
    {
        Assert.False(StoreLocation.TryParse(text, out var location, out var error));

        Assert.Null(location);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Contains(StoreLocation.Example, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgres://sluice:hunter2@db:port/sluice")]
    [InlineData("postgres://sluice:hunter2@db")]
    [InlineData("postgres://sluice:hun/ter2@db/sluice")]
    [InlineData("postgres://sluice:hunter2?x@db/sluice?colour=blue")]
    [InlineData("mysql://sluice:hunter2@db/sluice")]
    [InlineData("postgres://sluice@db/sluice?password=hunter2&colour=blue")]
    [InlineData("postgres://sluice@db/sluice?Password=hunter2&Host=x")]
    [InlineData("postgres://sluice@db/sluice?password")]
    [InlineData("postgres://sluice@db/sluice?SSL%20Password=hunter2&timeout=soon")]
    [InlineData("Host=db;Username=sluice;Password=hunter2")]
    public void TryParse_Malformed_NeverEchoesThePassword(string text)
    {
        Assert.False(StoreLocation.TryParse(text, out _, out var error));

        Assert.DoesNotContain("hunter2", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Malformed_ThrowsAnInvalidInputError()
    {
        var error = Assert.Throws<SluiceException>(() => StoreLocation.Parse("postgres://db/sluice"));

        Assert.Equal(SluiceErrorKind.Invalid, error.Kind);
        Assert.Contains("names no user", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sqlite", null, true)]
    [InlineData("postgres://sluice@db/sluice", null, false)]
    [InlineData("postgres://sluice@db/sluice", true, true)]
    [InlineData("sqlite", false, false)]
    public void MigratesAtStart_WithoutAChoice_FollowsTheProvider(string store, bool? autoMigrate, bool expected)
    {
        var options = new StoreOptions { Location = StoreLocation.Parse(store), AutoMigrate = autoMigrate };

        Assert.Equal(expected, options.MigratesAtStart);
    }
}
