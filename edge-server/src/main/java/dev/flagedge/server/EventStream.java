package dev.flagedge.server;

import dev.flagedge.engine.internal.JsonWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One open server-sent-event stream. Frames are written without blocking, one at a time; while one
 * is on its way, only the newest frame waits behind it (an event replaces a waiting ping or an
 * older event), so a client that stops reading costs one pending frame, never a growing queue, and
 * never delays anyone else.
 *
 * <p>Over HTTP/1.1 the stream frames its own chunks: each frame goes out as one complete chunk,
 * size line, data and closing CRLF in one write. Jetty's generator writes a chunk's closing CRLF
 * only with the next chunk, and strict chunk readers (urllib3's {@code read_chunked}, under the
 * Flagsmith Python SDK) hand a chunk on only once its CRLF has arrived: they would see every event
 * one frame late, up to a keep-alive interval. Jetty itself delimits the body by the connection's
 * end ({@code Connection: close}), which a stream is anyway: it is its connection's last response.
 * Delimiting by the end alone would not do: a reader that asks for a fixed number of bytes (the
 * same SDK reads 128 at a time) would wait for them to accumulate.
 */
final class EventStream implements Callback {
  static final byte[] PING = ": ping\n\n".getBytes(StandardCharsets.US_ASCII);

  /**
   * The framing header, given as a field Jetty's generator writes as it is rather than acting on:
   * the chunks are the stream's own.
   */
  static final HttpField SELF_CHUNKED = new HttpField(null, "Transfer-Encoding", "chunked");

  static final HttpField CLOSE = new HttpField(HttpHeader.CONNECTION, "close");

  private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PING_CHUNK = chunk(PING);

  /** What a stream's events say, and when a served document is news to it. */
  enum Format {
    /**
     * Flagsmith's realtime stream: {@code environment_updated} with the document's {@code
     * updated_at}, sent when that is newer than the last one sent.
     */
    FLAGSMITH,

    /**
     * OFREP's change notice: {@code refetchEvaluation} with the document's version as its entity
     * tag, sent when the document's content differs from the last one announced.
     */
    OFREP
  }

  private final String clientKey;
  private final Format format;
  private final Response response;
  private final Callback completion;
  private final EndPoint endPoint;
  private final long idleTimeoutBefore;
  private final long openedAt = System.nanoTime();
  private final Streams registry;
  private final boolean chunked;
  private volatile long lastWriteAt = openedAt;
  // Guarded by this.
  private boolean writing;
  private ByteBuffer waiting;
  private boolean waitingIsEvent;
  private boolean closing;
  private boolean ended;
  private boolean sentAny;
  private UpdatedAt lastSent;
  private String lastVersion;

  EventStream(
      String clientKey,
      Format format,
      Response response,
      Callback completion,
      EndPoint endPoint,
      long idleTimeout,
      Streams registry,
      boolean chunked) {
    this.clientKey = clientKey;
    this.format = format;
    this.response = response;
    this.completion = completion;
    this.endPoint = endPoint;
    this.idleTimeoutBefore = endPoint.getIdleTimeout();
    this.registry = registry;
    this.chunked = chunked;
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

  /**
   * One served document's frames, built once for every stream a change reaches rather than once per
   * stream. Used by one thread at a time: the one that announces the document.
   */
  static final class Frames {
    private final ServedEnvironment environment;
    private final byte[][] built = new byte[Format.values().length * 2][];

    Frames(ServedEnvironment environment) {
      this.environment = environment;
    }

    ServedEnvironment environment() {
      return environment;
    }

    /** The frame of a format, as one chunk when chunked; a Flagsmith frame needs an updated_at. */
    byte[] get(Format format, boolean chunked) {
      int slot = format.ordinal() * 2 + (chunked ? 1 : 0);
      byte[] frame = built[slot];
      if (frame == null) {
        frame =
            format == Format.OFREP
                ? refetchFrame(environment)
                : frame(environment.updatedAt().orElseThrow());
        frame = chunked ? chunk(frame) : frame;
        built[slot] = frame;
      }
      return frame;
    }
  }

  /** Sends the stream's event for a served document, if the document is news to this stream. */
  synchronized void changed(Frames frames) {
    ServedEnvironment environment = frames.environment();
    if (format == Format.OFREP) {
      if (environment.version().equals(lastVersion)) {
        return;
      }
      lastVersion = environment.version();
    } else {
      UpdatedAt updatedAt = environment.updatedAt().orElse(null);
      if (updatedAt == null || (lastSent != null && updatedAt.compareTo(lastSent) <= 0)) {
        return;
      }
      lastSent = updatedAt;
    }
    // The array is shared between streams: each writes it through a buffer of its own.
    send(ByteBuffer.wrap(frames.get(format, chunked)), true);
  }

  /**
   * OFREP's frame: a plain message (no event name: providers listen for {@code message}) with the
   * document's version and, when it has one, its {@code updated_at} in epoch seconds.
   */
  static byte[] refetchFrame(ServedEnvironment environment) {
    JsonWriter out = new JsonWriter(96).ascii("data: ");
    out.beginObject()
        .name("type")
        .value("refetchEvaluation")
        .name("etag")
        .value("\"" + environment.version() + "\"");
    environment.updatedAt().ifPresent(at -> out.name("lastModified").rawValue(at.text()));
    return out.endObject().ascii("\n\n").toByteArray();
  }

  /**
   * The event frame: one write, a space after {@code data:}, the retry hint. Not written with
   * {@link JsonWriter}: the data is spaced as Flagsmith's realtime service spaces it ({@code
   * {"updated_at": 1.5}}), byte for byte, and the writer only writes the compact form.
   */
  static byte[] frame(UpdatedAt updatedAt) {
    return ("event: environment_updated\ndata: {\"updated_at\": "
            + updatedAt.text()
            + "}\nretry: 15000\n\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** A frame as one complete HTTP/1.1 chunk. */
  static byte[] chunk(byte[] frame) {
    byte[] size = (Integer.toHexString(frame.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] chunk = new byte[size.length + frame.length + 2];
    System.arraycopy(size, 0, chunk, 0, size.length);
    System.arraycopy(frame, 0, chunk, size.length, frame.length);
    chunk[chunk.length - 2] = '\r';
    chunk[chunk.length - 1] = '\n';
    return chunk;
  }

  synchronized void ping() {
    send(ByteBuffer.wrap(chunked ? PING_CHUNK : PING), false);
  }

  /** Whether a frame has been sent, or waits to be. */
  synchronized boolean hasSent() {
    return sentAny;
  }

  private void send(ByteBuffer frame, boolean isEvent) {
    if (closing || ended) {
      return;
    }
    sentAny = true;
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
    response.write(true, chunked ? ByteBuffer.wrap(LAST_CHUNK) : null, completion);
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
