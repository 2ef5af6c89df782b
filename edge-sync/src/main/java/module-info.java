/**
 * FlagEdge sync: keeps Flagsmith environment documents fresh from the upstream API, persists the
 * last good documents, reads offline documents, and offers an in-process flag client.
 */
@SuppressWarnings("module") // javac's "module not found" for the export's targets: see below
module dev.flagedge.sync {
  requires transitive dev.flagedge.engine;
  requires okhttp3;
  requires okhttp3.sse;
  requires com.fasterxml.jackson.databind; // merging document pages

  exports dev.flagedge.sync;
  // The key mask and the flag-value rule, for FlagEdge's own modules only; not an API. The sync
  // compiles before the modules it names, so javac warns that they are not found, and -Werror would
  // fail on that: hence the "module" lint off above, for this declaration only. A misspelt name
  // still fails, in the module that then cannot read the package.
  exports dev.flagedge.sync.internal to
      dev.flagedge.server,
      dev.flagedge.openfeature;
}
