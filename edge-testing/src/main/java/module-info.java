/**
 * FlagEdge test support: a {@code FlagEdgeClient} and an OpenFeature provider backed by an
 * environment document that tests build and change in memory, evaluated by the production engine.
 */
module dev.flagedge.testing {
  requires transitive dev.flagedge.sync;
  requires transitive dev.flagedge.openfeature;
  requires com.fasterxml.jackson.databind; // the document being built is a JSON tree
  requires static transitive org.junit.jupiter.api; // FlagEdgeExtension only; tests bring JUnit

  exports dev.flagedge.testing;
}
