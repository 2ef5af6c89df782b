/**
 * The FlagEdge evaluation engine: compiles a Flagsmith environment document once into an immutable
 * {@link dev.flagedge.engine.Environment} and evaluates flags for the environment or for an
 * identity.
 *
 * <p>Every type here is immutable and thread-safe. Nothing in this package performs I/O, starts
 * threads or logs. Arguments and return values are non-null unless documented otherwise. Evaluation
 * never throws for bad data; parsing throws {@link dev.flagedge.engine.DocumentParseException}.
 */
package dev.flagedge.engine;
