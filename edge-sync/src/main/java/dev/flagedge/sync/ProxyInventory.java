package dev.flagedge.sync;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.flagedge.sync.internal.Json;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Reads a proxy's inventory: {@code GET {api_url}/proxy/config/} with {@code X-Proxy-Key}, the
 * environments the Flagsmith API assigns to this proxy, each with its client key and server keys.
 * Fields other than {@code client_side_key} and {@code server_side_keys[].{key, active,
 * expires_at}} are ignored.
 */
final class ProxyInventory {
  static final String PROXY_KEY_HEADER = "X-Proxy-Key";

  /** A larger inventory answer is refused: thousands of environments fit in far less. */
  static final long MAX_BYTES = 16L * 1024 * 1024;

  /** One environment of the inventory; its server keys sorted by key. */
  record Entry(String clientKey, List<ServerKey> serverKeys) {
    /** The first key valid at {@code now} in key order, which documents are fetched with. */
    Optional<ServerKey> firstValidKey(Instant now) {
      return serverKeys.stream().filter(key -> key.validAt(now)).findFirst();
    }
  }

  /** A server key and whether it may be used. */
  record ServerKey(String key, boolean active, Optional<Instant> expiresAt) {
    boolean validAt(Instant now) {
      return active && expiresAt.map(now::isBefore).orElse(true);
    }
  }

  private final Supplier<Sources.Upstream> upstream;

  /**
   * @param upstream read at each fetch: the API URL, client and proxy key may change while running
   */
  ProxyInventory(Supplier<Sources.Upstream> upstream) {
    this.upstream = upstream;
  }

  HttpUrl url() {
    return url(upstream.get().apiUrl());
  }

  private static HttpUrl url(HttpUrl apiUrl) {
    return apiUrl
        .newBuilder()
        .addPathSegment("proxy")
        .addPathSegment("config")
        .addPathSegment("")
        .build();
  }

  /**
   * Fetches the inventory.
   *
   * @throws FetchException when the answer is not a 200 with a valid inventory
   * @throws IOException when the request fails
   */
  List<Entry> fetch() throws IOException {
    Sources.Upstream upstream = this.upstream.get();
    Request request =
        new Request.Builder()
            .url(url(upstream.apiUrl()))
            .header(PROXY_KEY_HEADER, upstream.proxyKey())
            .header("Accept", "application/json")
            .header("User-Agent", "flagedge-edge-sync")
            .build();
    try (Response response = upstream.http().newCall(request).execute()) {
      if (response.code() != 200) {
        throw FetchException.httpStatus(
            response.code(), "proxy inventory returned HTTP " + response.code());
      }
      ResponseBody body = response.body();
      if (body.contentLength() > MAX_BYTES) {
        throw new FetchException(
            SyncFailure.Kind.INVALID_DOCUMENT,
            "proxy inventory larger than " + MAX_BYTES + " bytes");
      }
      return parse(body.bytes());
    }
  }

  /** Parses an inventory answer; the message of a failure names the JSON path and value. */
  static List<Entry> parse(byte[] json) throws FetchException {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(json);
    } catch (JacksonException e) {
      throw new FetchException(
          SyncFailure.Kind.INVALID_DOCUMENT,
          "proxy inventory is not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new FetchException(
          SyncFailure.Kind.INVALID_DOCUMENT, "proxy inventory unreadable: " + e.getMessage(), e);
    }
    if (root == null || !root.isArray()) {
      throw new FetchException(
          SyncFailure.Kind.INVALID_DOCUMENT,
          "proxy inventory: $ must be an array, got " + kind(root));
    }
    List<Entry> entries = new ArrayList<>(root.size());
    for (int i = 0; i < root.size(); i++) {
      entries.add(entry(root.get(i), "$[" + i + "]"));
    }
    return List.copyOf(entries);
  }

  private static Entry entry(JsonNode node, String path) throws FetchException {
    String clientKey = text(node.get("client_side_key"), path + ".client_side_key");
    JsonNode keys = node.get("server_side_keys");
    List<ServerKey> serverKeys = new ArrayList<>();
    if (keys != null && !keys.isNull()) {
      if (!keys.isArray()) {
        throw new FetchException(
            SyncFailure.Kind.INVALID_DOCUMENT,
            "proxy inventory: "
                + path
                + ".server_side_keys must be an array, "
                + "got "
                + kind(keys));
      }
      for (int i = 0; i < keys.size(); i++) {
        serverKeys.add(serverKey(keys.get(i), path + ".server_side_keys[" + i + "]"));
      }
    }
    // Sorted, so that the key documents are fetched with does not depend on the answer's order.
    serverKeys.sort(Comparator.comparing(ServerKey::key));
    return new Entry(clientKey, List.copyOf(serverKeys));
  }

  private static ServerKey serverKey(JsonNode node, String path) throws FetchException {
    String key = text(node.get("key"), path + ".key");
    JsonNode active = node.get("active");
    if (active == null || !active.isBoolean()) {
      throw new FetchException(
          SyncFailure.Kind.INVALID_DOCUMENT,
          "proxy inventory: " + path + ".active must be true or false, got " + kind(active));
    }
    JsonNode expires = node.get("expires_at");
    Optional<Instant> expiresAt = Optional.empty();
    if (expires != null && !expires.isNull()) {
      String text = text(expires, path + ".expires_at");
      try {
        expiresAt = Optional.of(OffsetDateTime.parse(text).toInstant());
      } catch (DateTimeParseException e) {
        throw new FetchException(
            SyncFailure.Kind.INVALID_DOCUMENT,
            "proxy inventory: "
                + path
                + ".expires_at is not an RFC 3339 "
                + "date-time: \""
                + text
                + "\"");
      }
    }
    return new ServerKey(key, active.booleanValue(), expiresAt);
  }

  private static String text(JsonNode node, String path) throws FetchException {
    if (node == null || !node.isTextual() || node.textValue().isEmpty()) {
      throw new FetchException(
          SyncFailure.Kind.INVALID_DOCUMENT,
          "proxy inventory: " + path + " must be a non-empty string, got " + kind(node));
    }
    return node.textValue();
  }

  private static String kind(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "nothing";
    }
    String text = node.toString();
    return text.length() > 60 ? text.substring(0, 60) + "…" : text;
  }
}
