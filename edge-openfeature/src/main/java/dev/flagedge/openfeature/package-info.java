/**
 * An OpenFeature provider for Flagsmith flags, evaluated in-process by FlagEdge: {@link
 * dev.flagedge.openfeature.FlagEdgeProvider}.
 *
 * <p>Every type is thread-safe unless documented otherwise. Arguments and return values are
 * non-null unless documented otherwise. Evaluation never throws for data problems: unknown flags,
 * type mismatches and a missing document come back as OpenFeature error codes with the default
 * value. Durations are {@link java.time.Duration}s.
 */
package dev.flagedge.openfeature;
