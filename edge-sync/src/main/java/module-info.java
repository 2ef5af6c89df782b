/**
 * FlagEdge sync: keeps Flagsmith environment documents fresh from the upstream API, persists the
 * last good documents, reads offline documents, and offers an in-process flag client.
 */
module dev.flagedge.sync {
  requires transitive dev.flagedge.engine;
  requires okhttp3;
  requires okhttp3.sse;
  requires com.fasterxml.jackson.databind; // merging document pages

  exports dev.flagedge.sync;
  // Shared with FlagEdge's own modules (key mask, value rule); not an API.
  exports dev.flagedge.sync.internal;
}
