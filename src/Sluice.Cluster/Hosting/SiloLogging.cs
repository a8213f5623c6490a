using Microsoft.Extensions.Logging;

namespace Sluice.Cluster.Hosting;

/// <summary>Console logging for processes that host a silo (servers and nodes): one line per entry, Orleans kept to what an operator can act on.</summary>
public static class SiloLogging
{
    public static ILoggingBuilder AddSluiceConsole(this ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss.fff "; // milliseconds: start-up and first-prediction latency are read from these lines
        });
        logging.AddFilter("Orleans", LogLevel.Warning);

        // The silo warns at every start that server GC is off (Sluice chooses workstation GC for its small footprint),
        // and the watchdog's first check reports a bogus stall measured from before the silo started.
        logging.AddFilter("Orleans.Runtime.Silo", LogLevel.Error);
        logging.AddFilter("Orleans.Runtime.Watchdog", LogLevel.Error);

        // When a node dies, Orleans reports every message it could not deliver there, each placement retry and each
        // failed routing-table push as an error; Sluice logs the loss itself, once, with what it did about it.
        logging.AddFilter("Orleans.Messaging", LogLevel.Critical);
        logging.AddFilter("Orleans.Runtime.GrainDirectory.ClientDirectory", LogLevel.Critical);
        logging.AddFilter("Polly", LogLevel.Critical);
        logging.AddFilter("Microsoft", LogLevel.Warning);
        logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
        return logging;
    }
}
