package dev.flagedge.engine;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the public Flagsmith engine-test-data fixtures. They are not part of this repository
 * (they carry no licence); tests that need them are skipped when they are absent.
 */
final class EngineTestData {
  static final String PROPERTY = "flagedge.engineTestData";

  /** The fixtures' .jsonc files carry comments and trailing commas. */
  static final JsonMapper JSONC =
      JsonMapper.builder()
          .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
          .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
          .build();

  private EngineTestData() {}

  /** The fixture directory; aborts the calling test (reported as skipped) when it is absent. */
  static Path directory() {
    Path dir = Path.of(System.getProperty(PROPERTY, "../../shared/engine-test-data"));
    assumeTrue(
        Files.isDirectory(dir.resolve("test_cases")),
        () ->
            "engine-test-data not found at "
                + dir.toAbsolutePath()
                + ": clone "
                + "https://github.com/Flagsmith/engine-test-data at tag v3.9.0 there, or pass -D"
                + PROPERTY
                + "=<path>");
    return dir;
  }

  static JsonNode read(Path file) {
    try {
      return JSONC.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
