namespace Sluice.IntegrationTests.Infrastructure;

/// <summary>
/// Tests that measure time-sensitive or resource-sensitive behaviour (memory peaks, failure detection within seconds)
/// run in this collection, which xunit runs after the parallel ones with nothing beside it: on a 2-core machine
/// crowded by other tests, a silo can miss its probes and be declared dead, and garbage collection lags.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasuredAlone
{
    public const string Name = "Measured alone";
}
