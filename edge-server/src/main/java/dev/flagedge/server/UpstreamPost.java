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

  private final OkHttpClient client;
  private final HttpUrl endpoint;

  /**
   * @param path the endpoint under the API URL, with its trailing slash: {@code analytics/flags/}
   */
  UpstreamPost(
      URI apiUrl,
      String path,
      Duration connectTimeout,
      Duration callTimeout,
      UpstreamObserver observer) {
    this.client = UpstreamHttp.client(connectTimeout, callTimeout, observer).build();
    this.endpoint = HttpUrl.get(apiUrl.toString().replaceAll("/+$", "") + "/" + path);
  }

  /**
   * Posts a JSON body with the given headers (name, value, name, value, …).
   *
   * @return the answer's status
   * @throws IOException when there was no answer
   */
  int post(String json, String... headers) throws IOException {
    Request.Builder request =
        new Request.Builder().url(endpoint).post(RequestBody.create(json, JSON));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    try (Response response = client.newCall(request.build()).execute()) {
      return response.code();
    }
  }

  /** Closes the idle connections. */
  @Override
  public void close() {
    client.connectionPool().evictAll();
  }
}
