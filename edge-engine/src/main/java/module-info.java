/** The FlagEdge evaluation engine: pure computation, no I/O, threads or logging. */
@SuppressWarnings("module") // javac's "module not found" for the export's targets: see below
module dev.flagedge.engine {
  requires com.fasterxml.jackson.databind;

  exports dev.flagedge.engine;
  // The one JSON writer, for FlagEdge's own modules only; not an API. The engine compiles before
  // the modules it names, so javac warns that they are not found, and -Werror would fail on that:
  // hence the "module" lint off above, for this declaration only. A misspelt name still fails, in
  // the module that then cannot read the package.
  exports dev.flagedge.engine.internal to
      dev.flagedge.server;
}
