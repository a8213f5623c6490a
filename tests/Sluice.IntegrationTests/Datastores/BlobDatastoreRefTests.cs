using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Sluice.Cluster.Workers;
using Sluice.Core.Specs;
using Sluice.Data.Datastores;

namespace Sluice.IntegrationTests.Datastores;

/// <summary>What nodes receive to open a blob datastore: it crosses Orleans whole, and never prints its secret.</summary>
public sealed class BlobDatastoreRefTests
{
    private const string Key = "c2x1aWNlLXRlc3Qtc2VjcmV0LWFjY291bnQta2V5LTAxMjM0NTY3ODk=";

    private static readonly DatastoreAccess Access = DatastoreAccess.From(new DatastoreSpec
    {
        Name = "scoring_in",
        Type = DatastoreType.AzureBlob,
        AccountName = "sluicetests",
        ContainerName = "inputs",
        Credentials = new DatastoreCredentials { AccountKey = Key },
    });

    [Fact]
    public void DatastoreRef_RoundTripsThroughOrleansSerialization_WithEverythingANodeNeeds()
    {
        using var services = new ServiceCollection().AddSerializer(builder => builder.AddAssembly(typeof(DatastoreRef).Assembly)).BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer>();
        var reference = DatastoreRef.Of(Access, "batch/2024");

        var copy = serializer.Deserialize<DatastoreRef>(serializer.SerializeToArray(reference))!;

        Assert.Equal(reference, copy);
        Assert.Equal("https://sluicetests.blob.core.windows.net", copy.Access.BlobEndpoint);
        Assert.Equal((DatastoreCredentialKind.AccountKey, Key), (copy.Access.CredentialKind, copy.Access.Secret));
    }

    [Fact]
    public void DatastoreRefAndWorkerSetup_PrintTheSecretRedacted()
    {
        var reference = DatastoreRef.Of(Access, "batch/2024");
        var setup = new WorkerSetup("ws", "job", reference, null, null, reference, OutputAction.AppendRow, new Dictionary<string, string>(), reference, 1);

        foreach (var text in new[] { reference.ToString(), setup.ToString(), new MiniBatchWork(0, 1, reference, []).ToString() })
        {
            Assert.DoesNotContain(Key, text, StringComparison.Ordinal);
            Assert.Contains("Secret = (redacted)", text, StringComparison.Ordinal);
        }
    }
}
