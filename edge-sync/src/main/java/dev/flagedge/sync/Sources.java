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
  /**
   * What a call reads when it starts: the client (its timeouts), the API URL, the deadline of one
   * fetch, and the proxy key sent with it (null without one). Replaced whole when a reloaded
   * configuration changes one of them, so a call never mixes the old and the new.
   */
  record Upstream(OkHttpClient http, HttpUrl apiUrl, Duration requestTimeout, String proxyKey) {}

  private volatile Upstream upstream;

  Sources(URI apiUrl, String proxyKey, Duration requestTimeout, UpstreamObserver observer) {
    this.upstream =
        new Upstream(
            UpstreamHttp.client(requestTimeout, requestTimeout, observer).build(),
            HttpUrl.get(apiUrl),
            requestTimeout,
            proxyKey);
  }

  /** The client as the sync started, for the realtime streams (their own timeouts). */
  OkHttpClient http() {
    return upstream.http();
  }

  Upstream upstream() {
    return upstream;
  }

  /**
   * Uses another API URL, fetch deadline and proxy key from the next call on; calls in flight
   * finish as they began. The new client shares the old one's connections and threads.
   */
  void change(URI apiUrl, Duration requestTimeout, String proxyKey) {
    Upstream old = upstream;
    // A proxy key is only rotated: with none at start there is no inventory to read with a new
    // one, and without a new one the inventory keeps the key it has.
    String key = old.proxyKey() != null && proxyKey != null ? proxyKey : old.proxyKey();
    OkHttpClient http =
        old.requestTimeout().equals(requestTimeout)
            ? old.http()
            : old.http()
                .newBuilder()
                .callTimeout(requestTimeout)
                .connectTimeout(requestTimeout)
                .readTimeout(requestTimeout)
                .build();
    upstream = new Upstream(http, HttpUrl.get(apiUrl), requestTimeout, key);
  }

  /** The proxy's inventory, read with the proxy key. */
  ProxyInventory inventory() {
    return new ProxyInventory(this::upstream);
  }

  DocumentSource of(EnvironmentSpec spec) {
    if (spec instanceof EnvironmentSpec.Upstream upstream) {
      return upstream(upstream.serverKey());
    } else if (spec instanceof EnvironmentSpec.Legacy legacy) {
      return new DocumentFetcher(
          this::upstream,
          apiUrl -> DocumentFetcher.legacyDocumentUrl(apiUrl, legacy.clientKey()),
          "Authorization",
          "Token " + legacy.apiToken());
    } else if (spec instanceof EnvironmentSpec.Supplied supplied) {
      return new SuppliedSource(supplied.supplier());
    }
    return new OfflineFileSource(((EnvironmentSpec.Offline) spec).file());
  }

  /** An environment fetched from {@code {api_url}/environment-document/} with this server key. */
  DocumentFetcher upstream(String serverKey) {
    return new DocumentFetcher(
        this::upstream, DocumentFetcher::documentUrl, "X-Environment-Key", serverKey);
  }
}
