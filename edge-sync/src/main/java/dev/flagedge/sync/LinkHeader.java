package dev.flagedge.sync;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import okhttp3.HttpUrl;

/** Finds the {@code rel="next"} target in RFC 8288 {@code Link} headers. */
final class LinkHeader {
  private LinkHeader() {}

  /**
   * The first {@code next} link, resolved against the URL of the response that carried it.
   *
   * @param values every {@code Link} header value of the response
   * @param base the response's request URL
   * @return the next page's URL; empty when there is none or it is not a valid http(s) URL
   */
  static Optional<HttpUrl> next(List<String> values, HttpUrl base) {
    for (String value : values) {
      int at = 0;
      while (true) {
        int open = value.indexOf('<', at);
        int close = open < 0 ? -1 : value.indexOf('>', open);
        if (close < 0) {
          break;
        }
        int end = nextLinkStart(value, close);
        if (isNext(value.substring(close + 1, end))) {
          return Optional.ofNullable(base.resolve(value.substring(open + 1, close).trim()));
        }
        at = end;
      }
    }
    return Optional.empty();
  }

  /** Where the link-value after the one whose target ends at {@code close} starts. */
  private static int nextLinkStart(String value, int close) {
    boolean quoted = false;
    for (int i = close + 1; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        return i;
      }
    }
    return value.length();
  }

  /** Whether link parameters such as {@code ; rel="next"} carry the relation type {@code next}. */
  private static boolean isNext(String params) {
    for (String param : params.split(";")) {
      int eq = param.indexOf('=');
      if (eq < 0 || !param.substring(0, eq).trim().equalsIgnoreCase("rel")) {
        continue;
      }
      String rel = param.substring(eq + 1).trim().replace("\"", "").toLowerCase(Locale.ROOT);
      for (String type : rel.split("\\s+")) {
        if (type.equals("next")) {
          return true;
        }
      }
    }
    return false;
  }
}
