package dev.flagedge.engine;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the public Flagsmith engine-test-data fixtures. They are not part of this repository
 * (they carry no licence): tests that need them are skipped when they are absent, except under CI
 * (environment variable {@code CI} set), where the conformance suite must run and their absence
 * fails the build.
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

  /**
   * The fixture directory. When it is absent, aborts the calling test (reported as skipped), or
   * under CI fails it.
   */
  static Path directory() {
    Path dir = Path.of(System.getProperty(PROPERTY, "../../shared/engine-test-data"));
    if (!Files.isDirectory(dir.resolve("test_cases"))) {
      String missing =
          "engine-test-data not found at "
              + dir.toAbsolutePath().normalize()
              + ": clone https://github.com/Flagsmith/engine-test-data at tag v3.9.0 there"
              + " (../shared/engine-test-data from the project root), or pass -D"
              + PROPERTY
              + "=<path>";
      if (System.getenv("CI") != null) {
        fail(missing + " (CI is set: the conformance suite must run, not be skipped)");
      }
      abort(missing);
    }
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
