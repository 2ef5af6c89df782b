package dev.flagedge.server;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Reads a request's body without holding a thread while the client sends it: bytes are taken as
 * they arrive and the rest is awaited with {@link Request#demand}, so a client trickling its body
 * costs a connection, not a worker. A body over {@link Limits#MAX_BODY_BYTES} is still read to its
 * end (up to {@link Limits#MAX_DRAINED_BYTES}) so that the client, still sending, receives the 413
 * rather than a reset connection. A request whose body has not all arrived {@link
 * Limits#REQUEST_TIMEOUT} after it began has its connection closed.
 */
final class RequestBody implements Runnable {
  /** What was read: the bytes, or the reason there are none. */
  record Result(byte[] content, ApiException refusal) {
    static final Result EMPTY = new Result(new byte[0], null);

    /**
     * @throws ApiException when the body was refused
     */
    byte[] bytes() {
      if (refusal != null) {
        throw refusal;
      }
      return content;
    }
  }

  private final Request request;
  private final BiConsumer<Result, Throwable> done;
  private final AtomicBoolean finished = new AtomicBoolean();

  /**
   * The body as it arrives: sized by {@code Content-Length} when one is declared (the common case,
   * read into its final array), grown as needed for a chunked body.
   */
  private byte[] buffer;

  private final Scheduler scheduler;

  /** Set, once, before the first demand; read by whichever thread finishes. */
  private volatile Scheduler.Task deadline;

  private long total;

  private RequestBody(
      Request request, long declared, Scheduler scheduler, BiConsumer<Result, Throwable> done) {
    this.request = request;
    this.scheduler = scheduler;
    this.done = done;
    this.buffer =
        new byte[declared >= 0 && declared <= Limits.MAX_BODY_BYTES ? (int) declared : 1024];
  }

  /**
   * Reads the body, then calls {@code done} once, with the result or, when the connection failed or
   * the deadline passed, the failure.
   */
  static void read(Request request, Scheduler scheduler, BiConsumer<Result, Throwable> done) {
    long declared = request.getLength();
    boolean chunked = request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
    if (declared == 0 || (declared < 0 && !chunked)) {
      done.accept(Result.EMPTY, null);
      return;
    }
    if (declared > Limits.MAX_DRAINED_BYTES) {
      // Too large even to drain: answered at once, and the connection closes behind the answer.
      done.accept(new Result(null, ApiException.payloadTooLarge(Limits.MAX_BODY_BYTES)), null);
      return;
    }
    new RequestBody(request, declared, scheduler, done).run();
  }

  /** Takes what has arrived; asks to be called again when more does. */
  @Override
  public void run() {
    while (!finished.get()) {
      Content.Chunk chunk = request.read();
      if (chunk == null) {
        armDeadline();
        request.demand(this);
        return;
      }
      if (Content.Chunk.isFailure(chunk)) {
        finish(null, chunk.getFailure());
        return;
      }
      take(chunk.getByteBuffer());
      boolean last = chunk.isLast();
      chunk.release();
      if (total > Limits.MAX_DRAINED_BYTES) {
        finish(new Result(null, ApiException.payloadTooLarge(Limits.MAX_BODY_BYTES)), null);
        return;
      }
      if (last) {
        finish(
            total > Limits.MAX_BODY_BYTES
                ? new Result(null, ApiException.payloadTooLarge(Limits.MAX_BODY_BYTES))
                : new Result(
                    total == buffer.length ? buffer : Arrays.copyOf(buffer, (int) total), null),
            null);
        return;
      }
    }
  }

  private void take(ByteBuffer bytes) {
    int n = bytes.remaining();
    total += n;
    if (total <= Limits.MAX_BODY_BYTES) {
      int offset = (int) (total - n);
      if (total > buffer.length) {
        buffer =
            Arrays.copyOf(
                buffer, (int) Math.min(Limits.MAX_BODY_BYTES, Math.max(total, 2L * buffer.length)));
      }
      bytes.get(buffer, offset, n);
    }
  }

  /**
   * Starts the deadline's clock, counted from the request's first byte, once the body is found
   * incomplete: nearly every body is whole in the first read, and a timer scheduled and cancelled
   * per request cost more than reading it.
   */
  private void armDeadline() {
    if (deadline == null) {
      long elapsed = System.nanoTime() - request.getBeginNanoTime();
      long left = Math.max(0, Limits.REQUEST_TIMEOUT.toNanos() - elapsed);
      deadline = scheduler.schedule(this::expire, left, TimeUnit.NANOSECONDS);
    }
  }

  /** The deadline passed with the body incomplete: the connection is closed, nothing answered. */
  private void expire() {
    if (finished.get()) {
      return;
    }
    TimeoutException timeout =
        new TimeoutException(
            "request body not received within " + Limits.REQUEST_TIMEOUT.toSeconds() + " s");
    request.getConnectionMetaData().getConnection().getEndPoint().close(timeout);
    finish(null, timeout);
  }

  private void finish(Result result, Throwable failure) {
    if (finished.compareAndSet(false, true)) {
      Scheduler.Task armed = deadline;
      if (armed != null) {
        armed.cancel();
      }
      done.accept(result, failure);
    }
  }
}
