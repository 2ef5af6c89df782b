package dev.flagedge.server;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Closes connections whose request headers have not all arrived within {@link
 * Limits#REQUEST_TIMEOUT}. Jetty's idle timeout alone restarts with every byte, so a client sending
 * a header byte every few seconds would keep its connection forever; this sweep, once a second,
 * notes when each connection was first seen part-way through a request's headers and closes it once
 * that is older than the limit. (Bodies have their own deadline in {@link RequestBody}.)
 */
final class HeaderDeadline extends AbstractLifeCycle {
  private static final long SWEEP_MILLIS = 1000;

  /** A connection seen part-way through the headers of its {@code request}th request. */
  private record Partial(long request, long since) {}

  private final ServerConnector connector;
  private final Scheduler scheduler;
  private final long limitNanos;
  private Map<EndPoint, Partial> partial = new HashMap<>();
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
      Map<EndPoint, Partial> seen = new HashMap<>();
      for (EndPoint endPoint : connector.getConnectedEndPoints()) {
        if (!(endPoint.getConnection() instanceof HttpConnection connection)) {
          continue;
        }
        HttpParser parser = connection.getParser();
        if (parser.isStart() || !parser.inHeaderState()) {
          continue;
        }
        long request = connection.getMessagesIn();
        Partial before = partial.get(endPoint);
        Partial current =
            before != null && before.request() == request ? before : new Partial(request, now);
        if (now - current.since() > limitNanos) {
          endPoint.close(
              new TimeoutException(
                  "request headers not received within "
                      + TimeUnit.NANOSECONDS.toSeconds(limitNanos)
                      + " s"));
        } else {
          seen.put(endPoint, current);
        }
      }
      partial = seen;
    } finally {
      schedule();
    }
  }
}
