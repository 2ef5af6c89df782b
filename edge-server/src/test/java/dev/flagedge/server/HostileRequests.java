package dev.flagedge.server;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Generates malformed and hostile HTTP requests from a seeded random source. */
final class HostileRequests {
  private static final String[] PATHS = {
    "/api/v1/flags/",
    "/api/v1/identities/",
    "/api/v1/identities",
    "/api/v1/environment-document",
    "/api/v1/analytics/flags/",
    "/proxy/health",
    "/metrics",
    "/",
    "/api/v1/flags/%zz",
    "/api/v1/../../etc/passwd",
    "/api/v1/flags/?feature=%ff%fe",
    "/api/v1/identities/?identifier=%",
    "/%00",
    "//api//v1",
    "/api/v1/flags/" + "a".repeat(5000),
    "/api/v1/identities/?identifier=%E2%82"
  };
  private static final String[] METHODS = {
    "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "FOO"
  };
  private static final String[] BODIES = {
    "",
    "{",
    "[]",
    "null",
    "\"x\"",
    "{\"identifier\":null}",
    "{\"identifier\":\"u\",\"traits\":[{\"trait_key\":\"k\",\"trait_value\":1e999999}]}",
    "{\"identifier\":\"u\",\"traits\":[{\"trait_key\":\"k\",\"trait_value\":1e400}]}",
    "{\"identifier\":\"u\",\"identifier\":\"v\"}",
    "{\"identifier\":\"\\ud800\"}",
    "{\"identifier\":\"\u0000\u202e\uffff\"}",
    "{\"identifier\":\"u\",\"traits\":\"x\"}",
    "{\"identifier\":\"u\",\"traits\":[1,2,3]}",
    "{\"identifier\":\"u\",\"traits\":[{\"trait_key\":7,\"trait_value\":[]}]}",
    "{\"identifier\":123456789012345678901234567890}"
  };

  private HostileRequests() {}

  static byte[] next(Random random, String key) {
    switch (random.nextInt(8)) {
      case 0:
        return randomBytes(random);
      case 1:
        return request(random, "POST", "/api/v1/identities/", key, deepNesting(random));
      case 2:
        return request(
            random,
            "GET",
            "/api/v1/flags/",
            key + "\u00ff".repeat(random.nextInt(3)),
            "",
            "X-Big: " + "h".repeat(random.nextInt(70_000)) + "\r\n");
      case 3:
        return request(
            random,
            "POST",
            "/api/v1/identities/",
            key,
            "{\"identifier\":\"" + "x".repeat(1 << 20) + "\"}");
      default:
        return request(
            random,
            pick(random, METHODS),
            pick(random, PATHS),
            random.nextBoolean() ? key : randomKey(random),
            pick(random, BODIES));
    }
  }

  private static byte[] request(
      Random random, String method, String path, String key, String body, String... extraHeaders) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    StringBuilder head =
        new StringBuilder()
            .append(method)
            .append(' ')
            .append(path)
            .append(" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
    if (key != null) {
      head.append("X-Environment-Key: ").append(key).append("\r\n");
    }
    if (random.nextBoolean()) {
      head.append("Content-Type: application/json\r\n");
    }
    for (String header : extraHeaders) {
      head.append(header);
    }
    head.append("Content-Length: ").append(bytes.length).append("\r\n\r\n");
    byte[] start = head.toString().getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = new byte[start.length + bytes.length];
    System.arraycopy(start, 0, all, 0, start.length);
    System.arraycopy(bytes, 0, all, start.length, bytes.length);
    return all;
  }

  private static String deepNesting(Random random) {
    int depth = 500 + random.nextInt(200_000);
    return "{\"identifier\":\"u\",\"traits\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
  }

  private static byte[] randomBytes(Random random) {
    byte[] bytes = new byte[1 + random.nextInt(2048)];
    random.nextBytes(bytes);
    return bytes;
  }

  private static String randomKey(Random random) {
    return random.nextBoolean() ? null : "ser." + Long.toHexString(random.nextLong());
  }

  private static String pick(Random random, String[] values) {
    return values[random.nextInt(values.length)];
  }
}
