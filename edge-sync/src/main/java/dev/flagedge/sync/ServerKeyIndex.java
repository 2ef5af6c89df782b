package dev.flagedge.sync;

import dev.flagedge.sync.internal.Keys;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Server keys and the environments they open, immutable: the configured ones, and those of a
 * proxy's inventory (replaced as a whole by each inventory). A presented key is found by the
 * SHA-256 digest of its bytes and then compared in constant time, so response timing tells nothing
 * about how much of a secret key was guessed right; its validity ({@code active}, {@code
 * expires_at}) is checked at the moment of the request.
 */
final class ServerKeyIndex {
  static final ServerKeyIndex NONE = new ServerKeyIndex(Map.of());
  private static final ProxyInventory.ServerKey ALWAYS = null;

  /**
   * @param serverKey the inventory's validity, or null for a configured key (always valid)
   */
  private record Entry(byte[] key, String clientKey, ProxyInventory.ServerKey serverKey) {}

  private final Map<ByteBuffer, Entry> byDigest;

  private ServerKeyIndex(Map<ByteBuffer, Entry> byDigest) {
    this.byDigest = byDigest;
  }

  /** Configured keys, always valid: server key to client key. */
  static ServerKeyIndex ofConfigured(Map<String, String> clientKeyByServerKey) {
    Map<ByteBuffer, Entry> byDigest = new HashMap<>();
    clientKeyByServerKey.forEach(
        (serverKey, clientKey) -> put(byDigest, serverKey, clientKey, ALWAYS));
    return new ServerKeyIndex(Map.copyOf(byDigest));
  }

  /** The keys of the given inventory entries. */
  static ServerKeyIndex of(List<ProxyInventory.Entry> entries) {
    Map<ByteBuffer, Entry> byDigest = new HashMap<>();
    for (ProxyInventory.Entry entry : entries) {
      for (ProxyInventory.ServerKey serverKey : entry.serverKeys()) {
        put(byDigest, serverKey.key(), entry.clientKey(), serverKey);
      }
    }
    return new ServerKeyIndex(Map.copyOf(byDigest));
  }

  private static void put(
      Map<ByteBuffer, Entry> byDigest,
      String serverKey,
      String clientKey,
      ProxyInventory.ServerKey validity) {
    byte[] key = serverKey.getBytes(StandardCharsets.UTF_8);
    byDigest.putIfAbsent(ByteBuffer.wrap(Keys.sha256(key)), new Entry(key, clientKey, validity));
  }

  /** The client key the presented server key opens at {@code now}, if any. */
  Optional<String> clientKeyOf(String presented, Instant now) {
    if (byDigest.isEmpty()) {
      return Optional.empty();
    }
    byte[] candidate = presented.getBytes(StandardCharsets.UTF_8);
    Entry entry = byDigest.get(ByteBuffer.wrap(Keys.sha256(candidate)));
    return entry != null
            && MessageDigest.isEqual(candidate, entry.key())
            && (entry.serverKey() == ALWAYS || entry.serverKey().validAt(now))
        ? Optional.of(entry.clientKey())
        : Optional.empty();
  }
}
