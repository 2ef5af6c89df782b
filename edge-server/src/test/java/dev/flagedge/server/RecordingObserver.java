package dev.flagedge.server;

import dev.flagedge.sync.UpstreamObserver;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/** An upstream observer that writes down each call and how it ended, and sends a traceparent. */
final class RecordingObserver implements UpstreamObserver {
  static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

  final List<String> events = new CopyOnWriteArrayList<>();

  @Override
  public Exchange start(Call call, BiConsumer<String, String> headers) {
    events.add(call.method() + " " + call.template());
    headers.accept("traceparent", TRACEPARENT);
    return new Exchange() {
      @Override
      public void answered(int status) {
        events.add("answered " + status);
      }

      @Override
      public void failed(Exception failure) {
        events.add("failed");
      }
    };
  }
}
