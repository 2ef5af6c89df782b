package dev.flagedge.server;

import dev.flagedge.sync.UpstreamObserver;
import dev.flagedge.sync.internal.UpstreamHttp;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The server's own calls to the upstream (analytics, usage reports): JSON posted to one endpoint
 * under the API URL, through the sync's client stack, so that each call is traced as the sync's
 * are.
 */
final class UpstreamPost implements AutoCloseable {
  private static final MediaType JSON = MediaType.get("application/json");

  /** The client and the endpoint a post reads when it starts; replaced whole by a reload. */
  private record Target(OkHttpClient client, HttpUrl endpoint) {}

  private final String path;
  private volatile Target target;

  /**
   * @param path the endpoint under the API URL, with its trailing slash: {@code analytics/flags/}
   */
  UpstreamPost(
      URI apiUrl,
      String path,
      Duration connectTimeout,
      Duration callTimeout,
      UpstreamObserver observer) {
    this.path = path;
    this.target =
        new Target(
            UpstreamHttp.client(connectTimeout, callTimeout, observer).build(),
            endpoint(apiUrl, path));
  }

  private static HttpUrl endpoint(URI apiUrl, String path) {
    return HttpUrl.get(apiUrl.toString().replaceAll("/+$", "") + "/" + path);
  }

  /**
   * Posts to another API URL, with other timeouts, from the next post on (a reloaded {@code
   * api_url} or {@code api_poll_timeout_seconds}); the new client shares the old one's connections.
   */
  void change(URI apiUrl, Duration connectTimeout, Duration callTimeout) {
    OkHttpClient client =
        target
            .client()
            .newBuilder()
            .connectTimeout(connectTimeout)
            .callTimeout(callTimeout)
            .readTimeout(callTimeout)
            .build();
    target = new Target(client, endpoint(apiUrl, path));
  }

  /**
   * Posts a JSON body with the given headers (name, value, name, value, …).
   *
   * @return the answer's status
   * @throws IOException when there was no answer
   */
  int post(byte[] json, String... headers) throws IOException {
    Target target = this.target;
    Request.Builder request =
        new Request.Builder().url(target.endpoint()).post(RequestBody.create(json, JSON));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    try (Response response = target.client().newCall(request.build()).execute()) {
      return response.code();
    }
  }

  /** Closes the idle connections. */
  @Override
  public void close() {
    target.client().connectionPool().evictAll();
  }
}
