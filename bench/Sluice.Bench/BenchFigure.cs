namespace Sluice.Bench;

/// <summary>
/// One line of <c>bench/run</c>'s summary: what was measured, its value, the goal the project set for it, and whether
/// the value met it. <see cref="Met"/> is null for figures reported without a goal.
/// </summary>
public sealed record BenchFigure(string Benchmark, string Measure, string Value, string Goal, bool? Met);
