package dev.flagedge.server;

/** JSON text building for response bodies: strings escaped as the reference serialiser does. */
final class JsonOut {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private JsonOut() {}

  static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2);
    appendQuoted(s, sb);
    return sb.toString();
  }

  static void appendQuoted(String s, StringBuilder sb) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c >= 0x20) {
        sb.append(c);
      } else if (c == '\n') {
        sb.append("\\n");
      } else if (c == '\r') {
        sb.append("\\r");
      } else if (c == '\t') {
        sb.append("\\t");
      } else {
        sb.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    sb.append('"');
  }
}
