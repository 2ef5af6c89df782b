package dev.flagedge.server;

import java.io.IOException;

/** One endpoint. Failures are thrown as {@link ApiException}; the router answers them. */
interface Route {
  void handle(HttpCall call) throws IOException;
}
