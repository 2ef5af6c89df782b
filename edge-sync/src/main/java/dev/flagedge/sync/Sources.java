package dev.flagedge.sync;

import dev.flagedge.sync.internal.UpstreamHttp;
import java.net.URI;
import java.time.Duration;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * The sync's way to the upstream: one HTTP client for every call (documents, the inventory,
 * realtime streams), and the document source of each environment, which sends the proxy key with
 * every fetch.
 */
final class Sources {
  private final OkHttpClient http;
  private final HttpUrl apiUrl;
  private final String proxyKey; // null without a proxy key
  private final Duration requestTimeout;

  Sources(URI apiUrl, String proxyKey, Duration requestTimeout, UpstreamObserver observer) {
    this.http = UpstreamHttp.client(requestTimeout, requestTimeout, observer).build();
    this.apiUrl = HttpUrl.get(apiUrl);
    this.proxyKey = proxyKey;
    this.requestTimeout = requestTimeout;
  }

  OkHttpClient http() {
    return http;
  }

  /** The proxy's inventory, read with this proxy key. */
  ProxyInventory inventory(String proxyKey) {
    return new ProxyInventory(http, apiUrl, proxyKey);
  }

  DocumentSource of(EnvironmentSpec spec) {
    if (spec instanceof EnvironmentSpec.Upstream upstream) {
      return upstream(upstream.serverKey());
    } else if (spec instanceof EnvironmentSpec.Legacy legacy) {
      return new DocumentFetcher(
          http,
          DocumentFetcher.legacyDocumentUrl(apiUrl, legacy.clientKey()),
          "Authorization",
          "Token " + legacy.apiToken(),
          proxyKey,
          requestTimeout);
    } else if (spec instanceof EnvironmentSpec.Supplied supplied) {
      return new SuppliedSource(supplied.supplier());
    }
    return new OfflineFileSource(((EnvironmentSpec.Offline) spec).file());
  }

  /** An environment fetched from {@code {api_url}/environment-document/} with this server key. */
  DocumentFetcher upstream(String serverKey) {
    return new DocumentFetcher(
        http,
        DocumentFetcher.documentUrl(apiUrl),
        "X-Environment-Key",
        serverKey,
        proxyKey,
        requestTimeout);
  }
}
