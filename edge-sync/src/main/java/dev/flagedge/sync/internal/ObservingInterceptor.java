package dev.flagedge.sync.internal;

import dev.flagedge.sync.UpstreamObserver;
import java.io.IOException;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Tells an {@link UpstreamObserver} about each call of an upstream client ({@link UpstreamHttp}),
 * and adds the headers it asks for. Installed only when an observer is set, so that a client
 * without one pays nothing.
 */
final class ObservingInterceptor implements Interceptor {
  private final UpstreamObserver observer;

  ObservingInterceptor(UpstreamObserver observer) {
    this.observer = observer;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    HttpUrl url = request.url();
    Request.Builder decorated = request.newBuilder();
    UpstreamObserver.Exchange exchange =
        observer.start(
            new UpstreamObserver.Call(
                request.method(), template(url), url.scheme(), url.host(), url.port()),
            decorated::header);
    Response response;
    try {
      response = chain.proceed(decorated.build());
    } catch (IOException | RuntimeException e) {
      exchange.failed(e);
      throw e;
    }
    exchange.answered(response.code());
    return response;
  }

  /**
   * The operation a URL is, by the end of its path: never the path itself, which may hold a key.
   */
  static String template(HttpUrl url) {
    String path = url.encodedPath();
    if (path.endsWith("/environment-document/")) {
      return "/environment-document/";
    } else if (path.endsWith("/proxy/config/")) {
      return "/proxy/config/";
    } else if (path.endsWith("/document/")) {
      return "/environments/{client_key}/document/";
    } else if (path.endsWith("/stream")) {
      return "/sse/environments/{client_key}/stream";
    } else if (path.endsWith("/analytics/flags/")) {
      return "/analytics/flags/";
    } else if (path.endsWith("/proxy/usage/")) {
      return "/proxy/usage/";
    }
    return "/";
  }
}
