package dev.flagedge.sync;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Fetches one environment's document over HTTP: conditional headers, same-origin redirects and
 * pagination, all within one deadline of {@code requestTimeout} for the whole fetch.
 */
final class DocumentFetcher implements DocumentSource {
  static final int MAX_PAGES = 100;
  static final int MAX_REDIRECTS = 5;

  /** The largest merged document accepted, in bytes. */
  static final long MAX_DOCUMENT_BYTES = 256L * 1024 * 1024;

  private static final String USER_AGENT = "flagedge-edge-sync";

  // Read at each fetch: a reloaded configuration may change the API URL and the deadline.
  private final Supplier<Sources.Upstream> upstream;
  private final UnaryOperator<HttpUrl> urlOf;
  private final String authHeader;

  /** Changes when a proxy's inventory rotates the environment's server key. */
  private volatile String authValue;

  private final Set<Call> inFlight = ConcurrentHashMap.newKeySet();
  private volatile boolean canceled;

  /**
   * @param upstream the client, API URL and deadline, read at the start of each fetch
   * @param urlOf the document's URL under an API URL
   */
  DocumentFetcher(
      Supplier<Sources.Upstream> upstream,
      UnaryOperator<HttpUrl> urlOf,
      String authHeader,
      String authValue) {
    this.upstream = upstream;
    this.urlOf = urlOf;
    this.authHeader = authHeader;
    this.authValue = authValue;
  }

  /** Uses another credential from the next request on (a rotated server key). */
  void useAuthValue(String value) {
    this.authValue = value;
  }

  String authValue() {
    return authValue;
  }

  /** The document URL of an environment on the current API ({@code X-Environment-Key}). */
  static HttpUrl documentUrl(HttpUrl apiUrl) {
    return apiUrl.newBuilder().addPathSegment("environment-document").addPathSegment("").build();
  }

  /** The document URL of an environment on the v1 API ({@code Authorization: Token}). */
  static HttpUrl legacyDocumentUrl(HttpUrl apiUrl, String clientKey) {
    return apiUrl
        .newBuilder()
        .addPathSegment("environments")
        .addPathSegment(clientKey)
        .addPathSegment("document")
        .addPathSegment("")
        .build();
  }

  HttpUrl url() {
    return urlOf.apply(upstream.get().apiUrl());
  }

  @Override
  public LoadedEnvironment.Source kind() {
    return LoadedEnvironment.Source.UPSTREAM;
  }

  @Override
  public void cancel() {
    canceled = true;
    inFlight.forEach(Call::cancel);
  }

  @Override
  public Fetch fetch(Conditions conditions) throws IOException {
    Sources.Upstream upstream = this.upstream.get();
    HttpUrl url = urlOf.apply(upstream.apiUrl());
    long deadline = System.nanoTime() + upstream.requestTimeout().toNanos();
    Request.Builder first = request(url, upstream.proxyKey());
    conditions
        .updatedAt()
        .flatMap(HttpDates::ifModifiedSince)
        .ifPresent(date -> first.header("If-Modified-Since", date));
    conditions.validator().ifPresent(etag -> first.header("If-None-Match", etag));
    Page page = get(first.build(), deadline, true, upstream, url);
    if (page.notModified()) {
      return new NotModified();
    }
    Optional<String> etag = page.etag();
    List<byte[]> bodies = new ArrayList<>();
    Set<HttpUrl> seen = new HashSet<>();
    long total = 0;
    while (true) {
      bodies.add(page.body());
      seen.add(page.url());
      total += page.body().length;
      if (total > MAX_DOCUMENT_BYTES) {
        throw tooLarge();
      }
      if (page.next().isEmpty()) {
        break;
      }
      HttpUrl next = page.next().get();
      checkNextPage(url, next, bodies.size(), seen);
      page = get(request(next, upstream.proxyKey()).build(), deadline, false, upstream, url);
    }
    byte[] merged = bodies.size() == 1 ? bodies.get(0) : PageMerger.merge(bodies);
    return new Fetched(merged, etag);
  }

  private static void checkNextPage(HttpUrl url, HttpUrl next, int pagesSoFar, Set<HttpUrl> seen)
      throws FetchException {
    if (!sameOrigin(url, next)) {
      throw new FetchException(
          SyncFailure.Kind.PROTOCOL, "next page link to another origin refused: " + origin(next));
    }
    if (seen.contains(next)) {
      throw new FetchException(
          SyncFailure.Kind.PROTOCOL,
          "pagination loop: page " + (pagesSoFar + 1) + " repeats a page");
    }
    if (pagesSoFar >= MAX_PAGES) {
      throw new FetchException(
          SyncFailure.Kind.PROTOCOL, "more than " + MAX_PAGES + " document pages");
    }
  }

  private Request.Builder request(HttpUrl target, String proxyKey) {
    Request.Builder request =
        new Request.Builder()
            .url(target)
            .header(authHeader, authValue)
            .header("Accept", "application/json")
            .header("User-Agent", USER_AGENT);
    return proxyKey == null ? request : request.header(ProxyInventory.PROXY_KEY_HEADER, proxyKey);
  }

  /** One page: follows same-origin redirects, checks the status, reads the body. */
  private Page get(
      Request request, long deadline, boolean firstPage, Sources.Upstream upstream, HttpUrl url)
      throws IOException {
    Request current = request;
    for (int redirects = 0; ; redirects++) {
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        throw timedOut(null, upstream.requestTimeout());
      }
      Call call = upstream.http().newCall(current);
      call.timeout().timeout(remaining, TimeUnit.NANOSECONDS);
      inFlight.add(call);
      if (canceled) {
        call.cancel(); // close() raced with this attempt
      }
      try (Response response = call.execute()) {
        int code = response.code();
        if (response.isRedirect() && code != 304) {
          current = redirect(url, current, response, redirects);
          continue;
        }
        return page(response, code, firstPage);
      } catch (FetchException e) {
        throw e;
      } catch (IOException e) {
        if (canceled) {
          throw new FetchException(SyncFailure.Kind.NETWORK, "fetch canceled", e);
        } else if (e instanceof InterruptedIOException || System.nanoTime() - deadline >= 0) {
          throw timedOut(e, upstream.requestTimeout());
        }
        throw new FetchException(
            SyncFailure.Kind.NETWORK, "upstream connection failed: " + describe(e), e);
      } finally {
        inFlight.remove(call);
      }
    }
  }

  private static Request redirect(HttpUrl url, Request request, Response response, int redirects)
      throws FetchException {
    String location = response.header("Location");
    HttpUrl target = location == null ? null : request.url().resolve(location);
    if (target == null) {
      throw FetchException.httpStatus(
          response.code(),
          "upstream returned HTTP " + response.code() + " without a usable Location");
    }
    if (!sameOrigin(url, target)) {
      throw new FetchException(
          SyncFailure.Kind.PROTOCOL, "redirect to another origin refused: " + origin(target));
    }
    if (redirects >= MAX_REDIRECTS) {
      throw new FetchException(
          SyncFailure.Kind.PROTOCOL, "more than " + MAX_REDIRECTS + " redirects");
    }
    return request.newBuilder().url(target).build();
  }

  private static Page page(Response response, int code, boolean firstPage) throws IOException {
    HttpUrl pageUrl = response.request().url();
    if (code == 304 && firstPage) {
      return new Page(pageUrl, true, new byte[0], Optional.empty(), Optional.empty());
    }
    if (code == 401 || code == 403) {
      throw FetchException.httpStatus(code, "upstream rejected the environment key: HTTP " + code);
    }
    if (code < 200 || code > 299) {
      throw FetchException.httpStatus(code, "upstream returned HTTP " + code);
    }
    byte[] body = read(response);
    return new Page(
        pageUrl,
        false,
        body,
        Optional.ofNullable(response.header("ETag")),
        LinkHeader.next(response.headers("Link"), pageUrl));
  }

  private static byte[] read(Response response) throws IOException {
    if (response.body().contentLength() > MAX_DOCUMENT_BYTES) {
      throw tooLarge();
    }
    try (InputStream in = response.body().byteStream()) {
      byte[] bytes = in.readNBytes((int) MAX_DOCUMENT_BYTES + 1);
      if (bytes.length > MAX_DOCUMENT_BYTES) {
        throw tooLarge();
      }
      return bytes;
    }
  }

  private static FetchException timedOut(IOException cause, Duration requestTimeout) {
    return new FetchException(
        SyncFailure.Kind.TIMEOUT, "upstream request timed out after " + requestTimeout, cause);
  }

  private static FetchException tooLarge() {
    return new FetchException(
        SyncFailure.Kind.INVALID_DOCUMENT, "document larger than " + MAX_DOCUMENT_BYTES + " bytes");
  }

  private static String describe(IOException e) {
    return e.getMessage() == null
        ? e.getClass().getSimpleName()
        : e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  static boolean sameOrigin(HttpUrl a, HttpUrl b) {
    return a.scheme().equals(b.scheme()) && a.host().equals(b.host()) && a.port() == b.port();
  }

  private static String origin(HttpUrl url) {
    return url.scheme() + "://" + url.host() + ":" + url.port();
  }

  /** One response page. */
  private record Page(
      HttpUrl url,
      boolean notModified,
      byte[] body,
      Optional<String> etag,
      Optional<HttpUrl> next) {}
}
