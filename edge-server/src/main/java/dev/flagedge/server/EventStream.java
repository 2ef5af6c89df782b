package dev.flagedge.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One open server-sent-event stream. Frames are written without blocking, one at a time; while one
 * is on its way, only the newest frame waits behind it (an event replaces a waiting ping or an
 * older event), so a client that stops reading costs one pending frame, never a growing queue, and
 * never delays anyone else.
 */
final class EventStream implements Callback {
  static final byte[] PING = ": ping\n\n".getBytes(StandardCharsets.US_ASCII);

  private final String clientKey;
  private final Response response;
  private final Callback completion;
  private final EndPoint endPoint;
  private final long idleTimeoutBefore;
  private final long openedAt = System.nanoTime();
  private final Streams registry;
  private volatile long lastWriteAt = openedAt;
  // Guarded by this.
  private boolean writing;
  private ByteBuffer waiting;
  private boolean waitingIsEvent;
  private boolean closing;
  private boolean ended;
  private UpdatedAt lastSent;

  EventStream(
      String clientKey,
      Response response,
      Callback completion,
      EndPoint endPoint,
      long idleTimeout,
      Streams registry) {
    this.clientKey = clientKey;
    this.response = response;
    this.completion = completion;
    this.endPoint = endPoint;
    this.idleTimeoutBefore = endPoint.getIdleTimeout();
    this.registry = registry;
    // Between keep-alives the connection is quiet for longer than a normal idle connection may be.
    endPoint.setIdleTimeout(idleTimeout);
  }

  String clientKey() {
    return clientKey;
  }

  long openedAt() {
    return openedAt;
  }

  long lastWriteAt() {
    return lastWriteAt;
  }

  /** Sends an {@code environment_updated} event if the value is newer than the last one sent. */
  synchronized void event(UpdatedAt updatedAt) {
    if (lastSent != null && updatedAt.compareTo(lastSent) <= 0) {
      return;
    }
    lastSent = updatedAt;
    send(ByteBuffer.wrap(frame(updatedAt)), true);
  }

  /** The event frame: one write, a space after {@code data:}, the retry hint. */
  static byte[] frame(UpdatedAt updatedAt) {
    return ("event: environment_updated\ndata: {\"updated_at\": "
            + updatedAt.text()
            + "}\nretry: 15000\n\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  synchronized void ping() {
    send(ByteBuffer.wrap(PING), false);
  }

  private void send(ByteBuffer frame, boolean isEvent) {
    if (closing || ended) {
      return;
    }
    if (writing) {
      if (isEvent || !waitingIsEvent) {
        waiting = frame;
        waitingIsEvent = isEvent;
      }
      return;
    }
    writing = true;
    lastWriteAt = System.nanoTime();
    response.write(false, frame, this);
  }

  /** Ends the stream cleanly once the frame on its way, if any, is written. */
  synchronized void close() {
    if (ended || closing) {
      return;
    }
    closing = true;
    if (!writing) {
      finish();
    }
  }

  private void finish() {
    ended = true;
    endPoint.setIdleTimeout(idleTimeoutBefore);
    response.write(true, null, completion);
    registry.remove(this);
  }

  @Override
  public synchronized void succeeded() {
    writing = false;
    if (closing) {
      finish();
      return;
    }
    ByteBuffer next = waiting;
    if (next != null) {
      waiting = null;
      send(next, waitingIsEvent);
    }
  }

  @Override
  public synchronized void failed(Throwable failure) {
    if (!ended) {
      ended = true;
      completion.failed(failure);
      registry.remove(this);
    }
  }

  @Override
  public InvocationType getInvocationType() {
    return InvocationType.NON_BLOCKING;
  }
}
