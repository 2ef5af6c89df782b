package dev.flagedge.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The configured server-side keys. A presented key is found by the SHA-256 digest of its bytes and
 * then compared with the configured key in constant time, so response timing tells nothing about how
 * much of a secret key was guessed right, and the cost of a lookup does not grow with the number of
 * environments.
 */
final class ServerKeys {
  private record Entry(byte[] serverKey, String clientKey) {}

  private final Map<ByteBuffer, Entry> byDigest = new HashMap<>();

  ServerKeys(Map<String, String> clientKeyByServerKey) {
    clientKeyByServerKey.forEach((server, client) -> {
      byte[] key = server.getBytes(StandardCharsets.UTF_8);
      byDigest.put(ByteBuffer.wrap(sha256(key)), new Entry(key, client));
    });
  }

  /** The client key of the environment this server key opens, if it is a configured one. */
  Optional<String> clientKeyOf(String presented) {
    byte[] candidate = presented.getBytes(StandardCharsets.UTF_8);
    Entry entry = byDigest.get(ByteBuffer.wrap(sha256(candidate)));
    return entry != null && MessageDigest.isEqual(candidate, entry.serverKey())
        ? Optional.of(entry.clientKey())
        : Optional.empty();
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e); // required by the Java SE spec
    }
  }
}
