/**
 * Keeps Flagsmith environment documents fresh and serves them in-process.
 *
 * <p>{@link dev.flagedge.sync.EnvironmentSync} polls the Flagsmith API (or reads local files) for
 * one or more environments, compiles every new document with the engine, and swaps it in
 * atomically; the last good document keeps serving while the upstream fails. {@link
 * dev.flagedge.sync.FlagEdgeClient} wraps it for applications that evaluate flags in-process with
 * zero network hops.
 *
 * <p>Every public type is thread-safe; value types are immutable. Arguments and return values are
 * non-null unless documented otherwise. Durations are {@link java.time.Duration}s and instants come
 * from the configured {@link java.time.InstantSource}.
 */
package dev.flagedge.sync;
