package dev.flagedge.engine.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * FlagEdge's one JSON writer: compact JSON text the way the reference writes it, straight into
 * UTF-8 bytes so an answer is encoded once. Strings are escaped as Python's {@code json.dumps} with
 * {@code ensure_ascii=False} escapes them: a backslash before quote and backslash, short forms for
 * backspace, form feed, newline, carriage return and tab, six-character lowercase unicode escapes
 * for the other control characters, everything else verbatim (a lone surrogate becomes {@code ?},
 * as in {@link String#getBytes}). Floats are written in Python's {@code repr} form ({@code 1e+23},
 * {@code 1e-05}, {@code 0.1}), non-finite ones as {@code null}. Not thread-safe; one per answer.
 */
public final class JsonWriter {
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private byte[] bytes;
  private int size;

  // The structured API's state: one bit per nesting level, set once that level has a member (or
  // an element), so the next one is preceded by a comma. Up to 63 levels: answers nest a few.
  private long written;
  private int depth;
  private boolean afterName;

  /**
   * A writer with room for about {@code capacity} bytes before it grows.
   *
   * @param capacity the expected size
   */
  public JsonWriter(int capacity) {
    this.bytes = new byte[Math.max(16, capacity)];
  }

  /**
   * A writer into the given array, from its start, which moves to a larger array of its own when
   * that one is full: {@link #toByteBuffer()} tells which array holds the result.
   *
   * @param buffer the array to write into, at least 16 bytes
   */
  public JsonWriter(byte[] buffer) {
    if (buffer.length < 16) {
      throw new IllegalArgumentException("buffer shorter than 16 bytes: " + buffer.length);
    }
    this.bytes = buffer;
  }

  /**
   * A string as a JSON string literal.
   *
   * @param s the string
   * @return the literal, quotes included
   */
  public static String quote(String s) {
    return new JsonWriter(s.length() + 8).string(s).toString();
  }

  /**
   * A float as JSON text: Python's {@code repr}, or {@code null} when it is not finite.
   *
   * @param d the value
   * @return the JSON number text
   */
  public static String number(double d) {
    return Double.isFinite(d) ? PythonFloat.repr(d) : "null";
  }

  /**
   * Starts an object (as a value: after a name, in an array, or at the top).
   *
   * @return this writer
   */
  public JsonWriter beginObject() {
    beforeValue();
    ascii('{');
    return enter();
  }

  /**
   * Ends the innermost object.
   *
   * @return this writer
   */
  public JsonWriter endObject() {
    leave();
    return ascii('}');
  }

  /**
   * Starts an array.
   *
   * @return this writer
   */
  public JsonWriter beginArray() {
    beforeValue();
    ascii('[');
    return enter();
  }

  /**
   * Ends the innermost array.
   *
   * @return this writer
   */
  public JsonWriter endArray() {
    leave();
    return ascii(']');
  }

  /**
   * Writes a member's name; its value comes next.
   *
   * @param name the member name
   * @return this writer
   */
  public JsonWriter name(String name) {
    beforeValue();
    string(name);
    ascii(':');
    afterName = true;
    return this;
  }

  /**
   * Writes a member's name written beforehand; its value comes next.
   *
   * @param name the member name
   * @return this writer
   */
  public JsonWriter name(Name name) {
    beforeValue();
    raw(name.json);
    afterName = true;
    return this;
  }

  /**
   * A member name encoded once, quotes and colon included, for the names an answer writes many
   * times over: copying its bytes costs a fraction of escaping the text again.
   */
  public static final class Name {
    private final byte[] json;

    private Name(byte[] json) {
      this.json = json;
    }

    /**
     * The name, encoded.
     *
     * @param name the member name
     * @return the encoded name
     */
    public static Name of(String name) {
      return new Name(new JsonWriter(name.length() + 8).string(name).ascii(':').toByteArray());
    }
  }

  /**
   * Writes a string value, or {@code null} for a null string.
   *
   * @param value the string
   * @return this writer
   */
  public JsonWriter value(String value) {
    beforeValue();
    return value == null ? ascii("null") : string(value);
  }

  /**
   * Writes an integer value.
   *
   * @param value the number
   * @return this writer
   */
  public JsonWriter value(long value) {
    beforeValue();
    return ascii(Long.toString(value));
  }

  /**
   * Writes a boolean value.
   *
   * @param value the boolean
   * @return this writer
   */
  public JsonWriter value(boolean value) {
    beforeValue();
    return ascii(value ? "true" : "false");
  }

  /**
   * Writes a value that is already JSON text.
   *
   * @param json UTF-8 JSON text of one value
   * @return this writer
   */
  public JsonWriter rawValue(byte[] json) {
    beforeValue();
    return raw(json);
  }

  /**
   * Writes a value that is already JSON text.
   *
   * @param json JSON text of one value
   * @return this writer
   */
  public JsonWriter rawValue(String json) {
    beforeValue();
    for (int i = 0; i < json.length(); i++) {
      if (json.charAt(i) >= 0x80) {
        return raw(json.getBytes(StandardCharsets.UTF_8));
      }
    }
    return ascii(json); // the usual case, numbers and literals: no copy
  }

  /**
   * Writes a float in the reference's form ({@link #number(double)}).
   *
   * @param value the number
   * @return this writer
   */
  public JsonWriter value(double value) {
    beforeValue();
    return floatValue(value);
  }

  /**
   * Writes {@code null}.
   *
   * @return this writer
   */
  public JsonWriter nullValue() {
    beforeValue();
    return ascii("null");
  }

  private void beforeValue() {
    if (afterName) {
      afterName = false;
      return;
    }
    if (depth > 0) {
      long bit = 1L << Math.min(depth, 63);
      if ((written & bit) != 0) {
        ascii(',');
      }
      written |= bit;
    }
  }

  private JsonWriter enter() {
    depth++;
    written &= ~(1L << Math.min(depth, 63));
    return this;
  }

  private void leave() {
    written &= ~(1L << Math.min(depth, 63));
    depth--;
  }

  /**
   * Appends bytes that are already JSON.
   *
   * @param json UTF-8 JSON text
   * @return this writer
   */
  private JsonWriter raw(byte[] json) {
    ensure(json.length);
    System.arraycopy(json, 0, bytes, size, json.length);
    size += json.length;
    return this;
  }

  /**
   * Appends ASCII text outside the JSON structure, such as an event stream frame's {@code data: }
   * before the JSON and its line ends after.
   *
   * @param text ASCII text
   * @return this writer
   */
  public JsonWriter ascii(String text) {
    int length = text.length();
    ensure(length);
    for (int i = 0; i < length; i++) {
      bytes[size++] = (byte) text.charAt(i);
    }
    return this;
  }

  /**
   * Appends one ASCII character of JSON punctuation.
   *
   * @param c the character
   * @return this writer
   */
  private JsonWriter ascii(char c) {
    ensure(1);
    bytes[size++] = (byte) c;
    return this;
  }

  /**
   * Appends a float in the reference's form.
   *
   * @param d the value
   * @return this writer
   */
  private JsonWriter floatValue(double d) {
    return ascii(number(d));
  }

  /**
   * Appends a string literal: quoted, escaped, UTF-8 encoded.
   *
   * @param s the string
   * @return this writer
   */
  private JsonWriter string(String s) {
    int length = s.length();
    // Room for 3 bytes per char, the most UTF-8 takes per char: only escapes check for more.
    ensure(length * 3 + 2);
    byte[] b = bytes;
    int at = size;
    b[at++] = '"';
    int i = 0;
    // Printable ASCII, nearly every string an answer holds, in a loop of its own.
    for (; i < length; i++) {
      char c = s.charAt(i);
      if (!plain(c)) {
        break;
      }
      b[at++] = (byte) c;
    }
    size = at;
    if (i < length) {
      encode(s, i);
    }
    bytes[size++] = '"';
    return this;
  }

  /** The rest of a string from {@code from}: escapes and UTF-8 beyond ASCII. */
  private void encode(String s, int from) {
    int length = s.length();
    for (int i = from; i < length; i++) {
      char c = s.charAt(i);
      if (plain(c)) {
        bytes[size++] = (byte) c;
      } else if (c < 0x80) {
        // An escape takes up to six bytes where three per char were reserved: reserve again.
        ensure(6 + 3 * (length - i - 1) + 1);
        escape(c);
      } else if (c < 0x800) {
        bytes[size++] = (byte) (0xc0 | c >> 6);
        bytes[size++] = (byte) (0x80 | c & 0x3f);
      } else if (!Character.isSurrogate(c)) {
        bytes[size++] = (byte) (0xe0 | c >> 12);
        bytes[size++] = (byte) (0x80 | c >> 6 & 0x3f);
        bytes[size++] = (byte) (0x80 | c & 0x3f);
      } else if (Character.isHighSurrogate(c)
          && i + 1 < length
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        bytes[size++] = (byte) (0xf0 | cp >> 18);
        bytes[size++] = (byte) (0x80 | cp >> 12 & 0x3f);
        bytes[size++] = (byte) (0x80 | cp >> 6 & 0x3f);
        bytes[size++] = (byte) (0x80 | cp & 0x3f);
      } else {
        bytes[size++] = '?';
      }
    }
  }

  /** Printable ASCII other than quote and backslash: written as it is, one byte. */
  private static boolean plain(char c) {
    return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
  }

  /** Writes an escape of up to six bytes, into room made by the caller. */
  private void escape(char c) {
    char shortForm =
        switch (c) {
          case '"' -> '"';
          case '\\' -> '\\';
          case '\b' -> 'b';
          case '\f' -> 'f';
          case '\n' -> 'n';
          case '\r' -> 'r';
          case '\t' -> 't';
          default -> 0;
        };
    bytes[size++] = '\\';
    if (shortForm != 0) {
      bytes[size++] = (byte) shortForm;
      return;
    }
    bytes[size++] = 'u';
    bytes[size++] = '0';
    bytes[size++] = '0';
    bytes[size++] = HEX[c >> 4];
    bytes[size++] = HEX[c & 0xf];
  }

  private void ensure(int more) {
    if (size + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(size + more, bytes.length * 2));
    }
  }

  /**
   * The bytes written so far.
   *
   * @return a copy of exactly the bytes written
   */
  public byte[] toByteArray() {
    return Arrays.copyOf(bytes, size);
  }

  /**
   * The bytes written so far, without copying: the buffer may be larger than what was written (its
   * limit is the size). The writer must not be used afterwards.
   *
   * @return a buffer over the bytes written, positioned at 0
   */
  public ByteBuffer toByteBuffer() {
    return ByteBuffer.wrap(bytes, 0, size);
  }

  /** The text written so far. */
  @Override
  public String toString() {
    return new String(bytes, 0, size, StandardCharsets.UTF_8);
  }
}
