package dev.flagedge.sync;

import java.nio.file.Path;
import java.util.function.Supplier;

/** How one configured environment is obtained; every variant knows its client key. */
sealed interface EnvironmentSpec {
  String clientKey();

  /** Polled from {@code {api_url}/environment-document/} with {@code X-Environment-Key}. */
  record Upstream(String serverKey, String clientKey) implements EnvironmentSpec {}

  /** Polled from the v1 {@code {api_url}/environments/{key}/document/} with a token. */
  record Legacy(String clientKey, String apiToken) implements EnvironmentSpec {}

  /** Read from a local document file; {@code serverKey} (or null) opens it too. */
  record Offline(Path file, String clientKey, String serverKey) implements EnvironmentSpec {}

  /** Taken from the application's supplier at start and on every refresh; never polled. */
  record Supplied(Supplier<byte[]> supplier, String clientKey) implements EnvironmentSpec {}
}
