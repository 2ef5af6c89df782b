package dev.flagedge.openfeature;

import dev.flagedge.engine.Environment;
import dev.flagedge.engine.Flag;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** The test environment document ({@code environment.json}), as text, a file or flags. */
final class TestDocuments {
  private TestDocuments() {}

  static String text() {
    try (InputStream in = TestDocuments.class.getResourceAsStream("/environment.json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes the document into the directory and returns the file. */
  static Path file(Path directory) throws IOException {
    return Files.writeString(directory.resolve("environment.json"), text());
  }

  /** Replaces the file's content atomically enough for the file watcher: written, then moved. */
  static void replace(Path file, String content) throws IOException {
    Path next = Files.writeString(file.resolveSibling(file.getFileName() + ".next"), content);
    Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  static List<Flag> environmentFlags(String document) {
    return Environment.parse(document).environmentFlags();
  }
}
