/**
 * Test support for applications that use FlagEdge: {@link dev.flagedge.testing.TestEnvironment}
 * builds a real Flagsmith environment document in memory ({@link
 * dev.flagedge.testing.TestDocument}), serves it through a {@link dev.flagedge.sync.FlagEdgeClient}
 * and an OpenFeature provider, and applies changes synchronously; {@link
 * dev.flagedge.testing.FlagEdgeExtension} gives JUnit 5 tests a fresh one each.
 *
 * <p>Every type is thread-safe unless documented otherwise. Arguments and return values are
 * non-null unless documented otherwise.
 */
package dev.flagedge.testing;
