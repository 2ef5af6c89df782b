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
   * What a call reads when it starts: the client (its timeouts), the API URL and the deadline of
   * one fetch. Replaced whole when a reloaded configuration changes the API URL or the timeout, so
   * a call never mixes the old and the new.
   */
  record Upstream(OkHttpClient http, HttpUrl apiUrl, Duration requestTimeout) {}

  private volatile Upstream upstream;
  private final String proxyKey; // null without a proxy key

  Sources(URI apiUrl, String proxyKey, Duration requestTimeout, UpstreamObserver observer) {
    this.upstream =
        new Upstream(
            UpstreamHttp.client(requestTimeout, requestTimeout, observer).build(),
            HttpUrl.get(apiUrl),
            requestTimeout);
    this.proxyKey = proxyKey;
  }

  /** The client as the sync started, for the realtime streams (their own timeouts). */
  OkHttpClient http() {
    return upstream.http();
  }

  Upstream upstream() {
    return upstream;
  }

  /**
   * Uses another API URL and fetch deadline from the next call on; calls in flight finish as they
   * began. The new client shares the old one's connections and threads.
   */
  void change(URI apiUrl, Duration requestTimeout) {
    Upstream old = upstream;
    OkHttpClient http =
        old.requestTimeout().equals(requestTimeout)
            ? old.http()
            : old.http()
                .newBuilder()
                .callTimeout(requestTimeout)
                .connectTimeout(requestTimeout)
                .readTimeout(requestTimeout)
                .build();
    upstream = new Upstream(http, HttpUrl.get(apiUrl), requestTimeout);
  }

  /** The proxy's inventory, read with this proxy key. */
  ProxyInventory inventory(String proxyKey) {
    return new ProxyInventory(this::upstream, proxyKey);
  }

  DocumentSource of(EnvironmentSpec spec) {
    if (spec instanceof EnvironmentSpec.Upstream upstream) {
      return upstream(upstream.serverKey());
    } else if (spec instanceof EnvironmentSpec.Legacy legacy) {
      return new DocumentFetcher(
          this::upstream,
          apiUrl -> DocumentFetcher.legacyDocumentUrl(apiUrl, legacy.clientKey()),
          "Authorization",
          "Token " + legacy.apiToken(),
          proxyKey);
    } else if (spec instanceof EnvironmentSpec.Supplied supplied) {
      return new SuppliedSource(supplied.supplier());
    }
    return new OfflineFileSource(((EnvironmentSpec.Offline) spec).file());
  }

  /** An environment fetched from {@code {api_url}/environment-document/} with this server key. */
  DocumentFetcher upstream(String serverKey) {
    return new DocumentFetcher(
        this::upstream, DocumentFetcher::documentUrl, "X-Environment-Key", serverKey, proxyKey);
  }
}
