/**
 * JMH benchmarks of the FlagEdge engine side by side with the Flagsmith Java SDK engine, the
 * deterministic benchmark documents ({@link dev.flagedge.benchmarks.Environments}), and the helpers
 * the HTTP load scripts run ({@link dev.flagedge.benchmarks.StaticBytesServer}, {@link
 * dev.flagedge.benchmarks.LoadFootprint}, {@link dev.flagedge.benchmarks.UpstreamStub}, {@link
 * dev.flagedge.benchmarks.SlowClients}), and the retained-heap measurement ({@link
 * dev.flagedge.benchmarks.RetainedFootprint}). Not a library: nothing here is API.
 *
 * <p>Benchmark times are per operation, single-threaded unless a class says otherwise; sizes are
 * bytes.
 */
package dev.flagedge.benchmarks;
