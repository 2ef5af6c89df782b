package dev.flagedge.server;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Closes connections whose request headers have not all arrived within {@link
 * Limits#REQUEST_TIMEOUT}. Jetty's idle timeout alone restarts with every byte, so a client sending
 * a header byte every few seconds would keep its connection forever.
 *
 * <p>The sweep, once a second, reads only Jetty's public connection counters: requests whose
 * headers are complete ({@link Connection#getMessagesIn()}), responses begun ({@link
 * Connection#getMessagesOut()}) and bytes received. When as many responses have begun as requests
 * arrived, the connection owes no request body (a response begins only once the body is in), so any
 * byte received after that belongs to the headers of a request still arriving: from the first sweep
 * that sees such bytes, the connection has the limit to complete them. A new connection's first
 * bytes count from its creation. (Bodies have their own deadline in {@link RequestBody}.)
 */
final class HeaderDeadline extends AbstractLifeCycle {
  private static final long SWEEP_MILLIS = 1000;
  private static final long NOT_RECEIVING = Long.MIN_VALUE;

  /**
   * What a sweep saw of a connection: its counters, and since when it has been receiving a
   * request's headers ({@link #NOT_RECEIVING}: it is not).
   */
  private record Seen(long requests, long responses, long bytes, long headersSince) {
    boolean sameExchange(long requests, long responses) {
      return this.requests == requests && this.responses == responses;
    }
  }

  private final ServerConnector connector;
  private final Scheduler scheduler;
  private final long limitNanos;
  private Map<EndPoint, Seen> seen = new HashMap<>();
  private volatile Scheduler.Task next;

  HeaderDeadline(ServerConnector connector, Scheduler scheduler, long limitNanos) {
    this.connector = connector;
    this.scheduler = scheduler;
    this.limitNanos = limitNanos;
  }

  @Override
  protected void doStart() {
    schedule();
  }

  @Override
  protected void doStop() {
    Scheduler.Task task = next;
    if (task != null) {
      task.cancel();
    }
  }

  private void schedule() {
    if (isRunning() || isStarting()) {
      next = scheduler.schedule(this::sweep, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  private void sweep() {
    try {
      long now = System.nanoTime();
      Map<EndPoint, Seen> current = new HashMap<>();
      for (EndPoint endPoint : connector.getConnectedEndPoints()) {
        Connection connection = endPoint.getConnection();
        if (connection == null) {
          continue;
        }
        Seen state = next(seen.get(endPoint), connection, endPoint, now);
        if (state.headersSince() != NOT_RECEIVING && now - state.headersSince() > limitNanos) {
          endPoint.close(
              new TimeoutException(
                  "request headers not received within "
                      + TimeUnit.NANOSECONDS.toSeconds(limitNanos)
                      + " s"));
        } else {
          current.put(endPoint, state);
        }
      }
      seen = current;
    } finally {
      schedule();
    }
  }

  /** A connection's state at this sweep, given what the last sweep saw of it (null: nothing). */
  private static Seen next(Seen before, Connection connection, EndPoint endPoint, long now) {
    long requests = connection.getMessagesIn();
    long responses = connection.getMessagesOut();
    long bytes = connection.getBytesIn();
    if (requests != responses) {
      // A request is being received or answered: its body, if any, has its own deadline.
      return new Seen(requests, responses, bytes, NOT_RECEIVING);
    }
    if (before == null && requests == 0) {
      // First seen before its first request: any bytes are that request's, since the connection
      // was made.
      long age = System.currentTimeMillis() - endPoint.getCreatedTimeStamp();
      long since = now - TimeUnit.MILLISECONDS.toNanos(Math.max(0, age));
      return new Seen(0, 0, bytes, bytes > 0 ? since : NOT_RECEIVING);
    }
    if (before == null || !before.sameExchange(requests, responses)) {
      // The last exchange ended since the last sweep: bytes so far are counted from here on.
      return new Seen(requests, responses, bytes, NOT_RECEIVING);
    }
    if (bytes > before.bytes() && before.headersSince() == NOT_RECEIVING) {
      return new Seen(requests, responses, bytes, now);
    }
    return before;
  }
}
