package dev.flagedge.sync;

import dev.flagedge.engine.Environment;
import dev.flagedge.sync.internal.Keys;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import okhttp3.HttpUrl;

/** Validation of builder settings: each check throws {@link IllegalArgumentException} at once. */
final class Settings {
  private Settings() {}

  static Duration duration(String name, Duration value, Duration max) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
    if (value.compareTo(max) > 0) {
      throw new IllegalArgumentException(name + " must be at most " + max + ": " + value);
    }
    return value;
  }

  static int range(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          name + " must be between " + min + " and " + max + ": " + value);
    }
    return value;
  }

  /** An absolute http(s) URL without query or fragment, trailing slashes removed. */
  static URI apiUrl(URI value) {
    return httpUrl("apiUrl", value);
  }

  /** An absolute http(s) URL without query or fragment, trailing slashes removed. */
  static URI httpUrl(String name, URI value) {
    Objects.requireNonNull(value, name);
    String scheme = value.getScheme() == null ? "" : value.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https"))
        || value.getHost() == null
        || value.getRawQuery() != null
        || value.getRawFragment() != null
        || HttpUrl.parse(value.toString()) == null) {
      throw new IllegalArgumentException(
          name + " must be an absolute http(s) URL without query or fragment: " + value);
    }
    String text = value.toString();
    while (text.endsWith("/")) {
      text = text.substring(0, text.length() - 1);
    }
    return URI.create(text);
  }

  static void serverKey(String key) {
    headerSafe("serverKey", key);
    if (!key.startsWith("ser.") || key.length() == 4) {
      throw new IllegalArgumentException("serverKey must start with ser.: " + Keys.mask(key));
    }
  }

  static void clientKey(String key) {
    headerSafe("clientKey", key);
    if (key.startsWith("ser.")) {
      throw new IllegalArgumentException(
          "clientKey must not be a server-side key: " + Keys.mask(key));
    }
  }

  /**
   * Environments as {@link EnvironmentSync#updateEnvironments} takes them (server key -> client
   * key), validated, the other way round: client key -> server key, in order.
   */
  static Map<String, String> serverKeyByClientKey(Map<String, String> clientKeysByServerKey) {
    Map<String, String> serverKeyOf = new LinkedHashMap<>();
    clientKeysByServerKey.forEach(
        (serverKey, clientKey) -> {
          serverKey(serverKey);
          clientKey(clientKey);
          if (serverKeyOf.put(clientKey, serverKey) != null) {
            throw new IllegalArgumentException("client key listed twice: " + Keys.mask(clientKey));
          }
        });
    return serverKeyOf;
  }

  /** Checks that no environment configured so far has this server key. */
  static void newServerKey(Collection<EnvironmentSpec> configured, String serverKey) {
    for (EnvironmentSpec spec : configured) {
      String taken =
          spec instanceof EnvironmentSpec.Upstream u
              ? u.serverKey()
              : spec instanceof EnvironmentSpec.Offline o ? o.serverKey() : null;
      if (serverKey.equals(taken)) {
        throw new IllegalArgumentException("serverKey already configured: " + Keys.mask(serverKey));
      }
    }
  }

  static void token(String token) {
    headerSafe("apiToken", token);
  }

  static String proxyKey(String key) {
    headerSafe("proxyKey", key);
    return key;
  }

  /** Non-empty printable ASCII without spaces, so it can go into a header or a path. */
  private static void headerSafe(String name, String value) {
    Objects.requireNonNull(value, name);
    if (value.isEmpty()) {
      throw new IllegalArgumentException(name + " must not be empty");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c <= ' ' || c >= 0x7f) {
        throw new IllegalArgumentException(
            name + " must be printable ASCII without spaces: " + Keys.mask(value));
      }
    }
  }

  /** The {@code api_key} of a supplied document, taken and compiled now. */
  static String suppliedKey(Supplier<byte[]> supplier) {
    Objects.requireNonNull(supplier, "documentSupplier");
    byte[] json = supplier.get();
    if (json == null) {
      throw new IllegalArgumentException("documentSupplier gave null");
    }
    String key;
    try {
      key = Environment.parse(json).apiKey();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "documentSupplier gave no valid document: " + e.getMessage(), e);
    }
    clientKey(key);
    return key;
  }

  /** The {@code api_key} of a document file, read and compiled now. */
  static String documentKey(Path file) {
    Objects.requireNonNull(file, "documentFile");
    String key;
    try {
      key = Environment.parse(OfflineFileSource.read(file)).apiKey();
    } catch (FetchException e) {
      throw new IllegalArgumentException("documentFile is unusable: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "documentFile is unusable: " + file + ": " + e.getMessage(), e);
    }
    clientKey(key);
    return key;
  }
}
