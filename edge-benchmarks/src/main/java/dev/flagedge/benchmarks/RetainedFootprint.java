package dev.flagedge.benchmarks;

import dev.flagedge.engine.Environment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Heap retained per served environment, measured the way the server holds them: for each
 * environment the compiled {@link Environment} plus the document kept for {@code
 * /environment-document}, which the server keeps gzip-compressed at level 1 (as here) once its
 * background compression has run, shortly after the first loads. Compiles N copies of one document,
 * each with its own {@code api_key} so that nothing is shared between them by accident, then runs
 * full collections and subtracts the heap used before loading. Run it with a heap large enough for
 * N copies, from the project root after {@code mvn package}:
 *
 * <pre>{@code
 * java -Xmx1g -cp edge-benchmarks/target/benchmarks.jar \
 *     dev.flagedge.benchmarks.RetainedFootprint heavy 200
 * }</pre>
 *
 * <p>Prints the retained bytes in total and per environment, and per environment as a multiple of
 * the document's JSON size (the bytes themselves count once, so 1.0 means the compiled part is
 * free).
 */
public final class RetainedFootprint {
  private static final byte[] API_KEY_MEMBER = "\"api_key\"".getBytes(StandardCharsets.UTF_8);

  private RetainedFootprint() {}

  /**
   * What a run measured: the document size, its kept (compressed) size, the copies compiled and the
   * heap they retain.
   */
  record Result(int documentBytes, int keptDocumentBytes, int copies, long retainedBytes) {
    long perEnvironment() {
      return retainedBytes / copies;
    }

    double ratioToJson() {
      return (double) retainedBytes / copies / documentBytes;
    }
  }

  /**
   * @param args a profile name ({@code simple}, {@code heavy}, {@code huge}) or a document file,
   *     then optionally the number of copies (default 200)
   * @throws IOException if the document file cannot be read
   */
  public static void main(String[] args) throws IOException {
    if (args.length == 0) {
      System.err.println("usage: RetainedFootprint simple|heavy|huge|DOCUMENT.json [COPIES]");
      System.exit(2);
    }
    int copies = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    byte[] document =
        args[0].endsWith(".json")
            ? Files.readAllBytes(Path.of(args[0]))
            : Environments.document(Profile.of(args[0]));
    Result result = measure(document, copies);
    System.out.printf(
        "document: %s, %,d bytes; %d copies, max heap %d MB%n",
        args[0], result.documentBytes(), copies, Runtime.getRuntime().maxMemory() >> 20);
    System.out.printf(
        "retained: %,d bytes total, %,d bytes per environment (%.2f x JSON)%n",
        result.retainedBytes(), result.perEnvironment(), result.ratioToJson());
    long compiled = result.perEnvironment() - result.keptDocumentBytes();
    System.out.printf(
        "document kept compressed: %,d bytes; compiled part: %,d bytes per "
            + "environment (%.2f x JSON)%n",
        result.keptDocumentBytes(), compiled, (double) compiled / result.documentBytes());
  }

  /** Compiles {@code copies} copies of the document, each with a distinct api_key, and measures. */
  static Result measure(byte[] document, int copies) {
    if (copies <= 0) {
      throw new IllegalArgumentException("copies must be positive: " + copies);
    }
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    List<byte[]> documents = new ArrayList<>(copies);
    List<Environment> environments = new ArrayList<>(copies);
    long before = usedAfterGc(memory);
    for (int i = 0; i < copies; i++) {
      byte[] copy = withApiKeySuffix(document, String.format("_%04d", i));
      environments.add(Environment.parse(copy));
      documents.add(gzip(copy));
    }
    long retained = usedAfterGc(memory) - before;
    if (documents.size() != environments.size()) {
      throw new AssertionError("lost a copy");
    }
    return new Result(document.length, documents.get(0).length, copies, retained);
  }

  /** The document with {@code suffix} appended to its {@code api_key} value. */
  static byte[] withApiKeySuffix(byte[] document, String suffix) {
    int member = indexOf(document, API_KEY_MEMBER);
    int open = member < 0 ? -1 : indexOf(document, (byte) '"', member + API_KEY_MEMBER.length);
    int close = open < 0 ? -1 : indexOf(document, (byte) '"', open + 1);
    if (close < 0) {
      throw new IllegalArgumentException("document has no \"api_key\" string");
    }
    byte[] extra = suffix.getBytes(StandardCharsets.UTF_8);
    byte[] copy = new byte[document.length + extra.length];
    System.arraycopy(document, 0, copy, 0, close);
    System.arraycopy(extra, 0, copy, close, extra.length);
    System.arraycopy(document, close, copy, close + extra.length, document.length - close);
    return copy;
  }

  private static int indexOf(byte[] bytes, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= bytes.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (bytes[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static int indexOf(byte[] bytes, byte b, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  /** As the server keeps a document (DocumentCompression): gzip at the fastest level. */
  static byte[] gzip(byte[] document) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(document.length / 5 + 64);
    try (GZIPOutputStream gzip =
        new GZIPOutputStream(out, 8192) {
          {
            def.setLevel(Deflater.BEST_SPEED);
          }
        }) {
      gzip.write(document);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static long usedAfterGc(MemoryMXBean memory) {
    for (int i = 0; i < 4; i++) {
      System.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }
}
