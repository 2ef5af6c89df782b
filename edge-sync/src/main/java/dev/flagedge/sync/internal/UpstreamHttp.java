package dev.flagedge.sync.internal;

import dev.flagedge.sync.UpstreamObserver;
import java.time.Duration;
import okhttp3.OkHttpClient;

/**
 * The one way FlagEdge builds an HTTP client for its upstream, so that the sync's fetches and the
 * server's own reports (analytics, usage) go through the same stack and are traced alike: OkHttp,
 * every call told to the {@link UpstreamObserver}, and redirects not followed (the document fetcher
 * follows them itself, to the same origin only; a report is never redirected).
 */
public final class UpstreamHttp {
  private UpstreamHttp() {}

  /**
   * A client builder, to be built once and shared by every call of its user.
   *
   * @param connectTimeout the longest wait for a connection
   * @param callTimeout the longest whole call, and the longest wait for a read
   * @param observer told about each call; {@link UpstreamObserver#NONE} adds nothing
   * @return the builder
   */
  public static OkHttpClient.Builder client(
      Duration connectTimeout, Duration callTimeout, UpstreamObserver observer) {
    OkHttpClient.Builder client =
        new OkHttpClient.Builder()
            .callTimeout(callTimeout)
            .connectTimeout(connectTimeout)
            .readTimeout(callTimeout)
            .followRedirects(false)
            .followSslRedirects(false);
    if (observer != UpstreamObserver.NONE) {
      client.addInterceptor(new ObservingInterceptor(observer));
    }
    return client;
  }
}
