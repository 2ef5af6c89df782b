package dev.flagedge.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The configured server-side keys. A presented key is compared with every one of them in constant time
 * per key, so response timing tells nothing about how much of a secret key was guessed right.
 */
final class ServerKeys {
  private record Entry(byte[] serverKey, String clientKey) {}

  private final List<Entry> entries = new ArrayList<>();

  ServerKeys(Map<String, String> clientKeyByServerKey) {
    clientKeyByServerKey.forEach((server, client) ->
        entries.add(new Entry(server.getBytes(StandardCharsets.UTF_8), client)));
  }

  /** The client key of the environment this server key opens, if it is a configured one. */
  Optional<String> clientKeyOf(String presented) {
    byte[] candidate = presented.getBytes(StandardCharsets.UTF_8);
    String match = null;
    for (Entry entry : entries) {
      if (MessageDigest.isEqual(candidate, entry.serverKey())) {
        match = entry.clientKey();
      }
    }
    return Optional.ofNullable(match);
  }
}
