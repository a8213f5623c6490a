using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sluice.Cluster.Hosting;
using Sluice.Core.Diagnostics;
using Sluice.Core.Specs;
using Microsoft.EntityFrameworkCore;
using Sluice.Data.Network;
using Sluice.Data.Secrets;
using Sluice.Data.Store;
using Sluice.Server.Api;
using Sluice.Server.BatchEndpoints;
using Sluice.Server.Nodes;
using Sluice.Server.Datastores;
using Sluice.Server.Jobs;
using Sluice.Server.Network;
using Sluice.Server.Resources;
using Sluice.Server.Uploads;
using Sluice.Server.Workspaces;

namespace Sluice.Server.Hosting;

/// <summary>The composition root: builds the web application with the store, the Orleans silo and the REST API.</summary>
public static partial class SluiceServer
{
    public static WebApplication Build(SluiceServerOptions options, Action<ILoggingBuilder>? configureLogging = null)
    {
        var validation = new SluiceServerOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(nameof(SluiceServerOptions), typeof(SluiceServerOptions), validation.Failures);
        }

        // Scorers run CPU-bound work on the thread pool; with the default minimum of one thread per core, the silo's
        // scheduler and the API would wait for the pool's slow thread injection behind them (seen as multi-second
        // "thread pool stalled" warnings on 2 cores). A higher minimum keeps them responsive.
        ThreadPool.GetMinThreads(out var workerThreads, out var ioThreads);
        ThreadPool.SetMinThreads(Math.Max(workerThreads, 4 * Environment.ProcessorCount + 8), ioThreads);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = SpecBodies.MaxBytes);
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = options.ShutdownTimeout);
        builder.Logging.AddSluiceConsole();
        // Data Protection warns that new keys are written unencrypted. That is the design: the key ring folder is
        // created readable by the server's user only, and docs/data.md tells operators to guard it.
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection.KeyManagement.XmlKeyManager", LogLevel.Error);
        configureLogging?.Invoke(builder.Logging);

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<IValidateOptions<SluiceServerOptions>, SluiceServerOptionsValidator>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSluiceStore(new StoreOptions { DataDirectory = options.DataDirectory, Location = StoreLocation.Parse(options.Store), AutoMigrate = options.AutoMigrate });
        builder.Services.AddSluiceSecrets(new SecretStoreOptions { KeyRingDirectory = options.KeyRingPath });
        var ownUrl = new ServerUrl();
        builder.Services.AddSingleton(ownUrl);
        builder.Services.AddLocalNodeLauncher(new Cluster.Compute.LocalNodeLauncherOptions
        {
            DataDirectory = options.DataDirectory,
            ServerUrl = () => ownUrl.Value,
            SluiceAssembly = options.NodeAssembly ?? Cluster.Compute.LocalNodeLauncherOptions.DefaultSluiceAssembly,
        });
        builder.AddSluiceServerSilo(options.Silo, new Cluster.Workers.NodeOptions { ScratchDirectory = Path.Combine(options.DataDirectory, "scratch") });
        builder.Services.AddSluiceJobEngine(options.Jobs);
        builder.Services.AddSingleton(options.Network ?? new SluiceNetworkOptions { ControlPlanePrefixes = [$"{options.Silo.AdvertisedAddress}/32"] });
        builder.Services.AddSingleton<WorkspaceNetworkModels>();
        builder.Services.AddSingleton<Cluster.Network.DatastoreFlowGate>();
        builder.Services.AddSluiceApi();

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        if (options.TrustedProxies.Count > 0)
        {
            // X-Forwarded-For is believed only from the proxies the operator named: anyone else could claim to be inside.
            var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor, ForwardLimit = null };
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in options.TrustedProxies)
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(proxy.Contains('/', StringComparison.Ordinal) ? proxy : $"{proxy}/{(proxy.Contains(':', StringComparison.Ordinal) ? 128 : 32)}"));
            }

            app.UseForwardedHeaders(forwarded);
        }

        app.UseMiddleware<Access.PrivateWorkspaceAccessMiddleware>();
        app.MapSluiceApi();
        return app;
    }

    /// <summary>Prepares the store and starts listening. Returns once the server accepts requests.</summary>
    public static async Task StartAsync(WebApplication app, CancellationToken cancellationToken = default)
    {
        var options = app.Services.GetRequiredService<SluiceServerOptions>();
        var database = app.Services.GetRequiredService<SluiceDatabase>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Sluice.Server");
        foreach (var migration in await database.PrepareAsync(cancellationToken))
        {
            LogMigrationApplied(logger, migration);
        }

        await app.Services.GetRequiredService<SecretStore>().ProtectPlaintextAsync(app.Services.GetRequiredService<IDbContextFactory<SluiceDbContext>>(), cancellationToken);
        LogKeyRing(logger, options.KeyRingPath);

        await app.StartAsync(cancellationToken);
        app.Services.GetRequiredService<ServerUrl>().Value = new Uri(app.Urls.First());
        // Sluice's own service tags and ports describe this server as it actually listens (ports may have been free picks).
        var network = app.Services.GetRequiredService<SluiceNetworkOptions>();
        var silo = app.Services.GetRequiredService<Orleans.Runtime.ILocalSiloDetails>();
        network.ApiPort = new Uri(app.Urls.First()).Port;
        network.NodeManagementPorts = [.. new[] { silo.SiloAddress.Endpoint.Port, silo.GatewayAddress?.Endpoint.Port ?? 0 }.Where(p => p > 0)];
        LogListening(logger, app.Urls, options.DataDirectory);
    }

    public static IServiceCollection AddSluiceApi(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            c.ProblemDetails.Instance ??= c.HttpContext.Request.Path;
        });
        services.AddExceptionHandler<SluiceExceptionHandler>();
        services.AddOpenApi();
        services.AddSingleton<ResourceRepository>();
        services.AddSingleton<WorkspaceService>();
        services.AddSingleton<DatastoreService>();
        services.AddSingleton<Uploads.BlockUploads>();
        services.AddSingleton<AssetService>();
        services.AddSingleton<NetworkService>();
        services.AddSingleton<NetworkQuestions>();
        services.AddSingleton<ComputeService>();
        services.AddSingleton<BatchEndpointService>();
        services.AddSingleton<JobService>();
        services.AddSingleton<Access.PrivateWorkspaceAccess>();
        services.AddSingleton<Network.WorkspaceDiagnosisService>();
        return services;
    }

    public static WebApplication MapSluiceApi(this WebApplication app)
    {
        app.MapOpenApi("/openapi/v1.json");
        app.MapGet("/health", () => TypedResults.Ok(new { status = "ok" })).WithTags("health");
        app.MapWorkspaceEndpoints();
        app.MapDatastoreEndpoints();
        app.MapBlockUploadEndpoints();
        foreach (var kind in new[] { ResourceKind.Data, ResourceKind.Model, ResourceKind.Environment, ResourceKind.Component })
        {
            app.MapAssetEndpoints(kind);
        }

        app.MapComputeEndpoints();
        app.MapNetworkEndpoints();
        app.MapNetworkQuestionEndpoints();
        app.MapBatchEndpointEndpoints();
        app.MapJobEndpoints();
        app.MapClusterEndpoints();
        return app;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Applied database migration {Migration}")]
    private static partial void LogMigrationApplied(ILogger logger, string migration);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Stored secrets are encrypted with the key ring in {KeyRing}")]
    private static partial void LogKeyRing(ILogger logger, string keyRing);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Sluice server listening on {Urls} (data directory {DataDirectory})")]
    private static partial void LogListening(ILogger logger, ICollection<string> urls, string dataDirectory);
}
