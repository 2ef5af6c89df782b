package dev.flagedge.server;

import java.io.IOException;

/**
 * One endpoint. Failures are thrown as {@link ApiException}; the router answers them. A route runs
 * on a connection's selector thread, so it must not block: it computes and answers, and hands
 * anything that waits (an upstream call) to an executor of its own.
 */
interface Route {
  void handle(HttpCall call) throws IOException;
}
