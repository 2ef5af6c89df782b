/** The FlagEdge evaluation engine: pure computation, no I/O, threads or logging. */
module dev.flagedge.engine {
  requires com.fasterxml.jackson.databind;

  exports dev.flagedge.engine;
}
