package dev.flagedge.sync;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import mockwebserver3.MockResponse;

/** Test documents from {@code src/test/resources/documents} and canned upstream responses. */
final class TestDocuments {
  static final String SERVER_KEY = "ser.test-server-key-0123456789";
  static final String CLIENT_KEY = "client-key";

  private TestDocuments() {}

  static String text(String name) {
    try (InputStream in = TestDocuments.class.getResourceAsStream("/documents/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test document " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String minimal() {
    return text("minimal.json");
  }

  /** The minimal document with {@code banner = "v<n>"} and a distinct {@code updated_at}. */
  static String version(int n) {
    return minimal()
        .replace("\"v1\"", "\"v" + n + "\"")
        .replace("10:00:00Z", String.format("10:%02d:%02dZ", n / 60 % 60, n % 60));
  }

  static MockResponse ok(String body) {
    return new MockResponse.Builder()
        .code(200)
        .setHeader("Content-Type", "application/json")
        .body(body)
        .build();
  }

  static MockResponse status(int code) {
    return new MockResponse.Builder().code(code).body("{\"detail\":\"nope\"}").build();
  }
}
