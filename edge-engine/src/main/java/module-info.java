/** The FlagEdge evaluation engine: pure computation, no I/O, threads or logging. */
module dev.flagedge.engine {
  requires com.fasterxml.jackson.databind;

  exports dev.flagedge.engine;
  // Shared with FlagEdge's own modules (the one JSON writer); not an API.
  exports dev.flagedge.engine.internal;
}
