package dev.flagedge.sync;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The server keys a proxy's inventory gives, immutable, replaced as a whole by each inventory. A
 * presented key is found by the SHA-256 digest of its bytes and then compared in constant time; its
 * validity ({@code active}, {@code expires_at}) is checked at the moment of the request.
 */
final class DiscoveredKeys {
  static final DiscoveredKeys NONE = new DiscoveredKeys(Map.of());

  private record Entry(byte[] key, String clientKey, ProxyInventory.ServerKey serverKey) {}

  private final Map<ByteBuffer, Entry> byDigest;

  private DiscoveredKeys(Map<ByteBuffer, Entry> byDigest) {
    this.byDigest = byDigest;
  }

  /** The keys of the given inventory entries. */
  static DiscoveredKeys of(List<ProxyInventory.Entry> entries) {
    Map<ByteBuffer, Entry> byDigest = new HashMap<>();
    for (ProxyInventory.Entry entry : entries) {
      for (ProxyInventory.ServerKey serverKey : entry.serverKeys()) {
        byte[] key = serverKey.key().getBytes(StandardCharsets.UTF_8);
        byDigest.putIfAbsent(ByteBuffer.wrap(sha256(key)),
            new Entry(key, entry.clientKey(), serverKey));
      }
    }
    return new DiscoveredKeys(Map.copyOf(byDigest));
  }

  /** The client key the presented server key opens at {@code now}, if any. */
  Optional<String> clientKeyOf(String presented, Instant now) {
    if (byDigest.isEmpty()) {
      return Optional.empty();
    }
    byte[] candidate = presented.getBytes(StandardCharsets.UTF_8);
    Entry entry = byDigest.get(ByteBuffer.wrap(sha256(candidate)));
    return entry != null && MessageDigest.isEqual(candidate, entry.key())
        && entry.serverKey().validAt(now)
        ? Optional.of(entry.clientKey())
        : Optional.empty();
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
