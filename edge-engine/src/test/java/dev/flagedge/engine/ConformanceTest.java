package dev.flagedge.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The reference engine's own conformance suite (engine-test-data v3.9.0, 199 cases) and our extra
 * edge cases with the reference engine's results (43 cases): every result must be deeply equal,
 * segment order and variants included.
 */
class ConformanceTest {

  @TestFactory
  Stream<DynamicTest> evaluate_engineTestDataCase_equalsReferenceResult() throws IOException {
    Path cases = EngineTestData.directory().resolve("test_cases");
    List<Path> files = new ArrayList<>();
    try (Stream<Path> listing = Files.list(cases)) {
      listing
          .filter(p -> p.toString().endsWith(".json") || p.toString().endsWith(".jsonc"))
          .sorted()
          .forEach(files::add);
    }
    assertFalse(files.isEmpty(), () -> "no .json or .jsonc cases in " + cases);
    AtomicInteger passed = new AtomicInteger();
    Stream<DynamicTest> tests =
        files.stream()
            .map(
                file ->
                    dynamicTest(
                        file.getFileName().toString(),
                        () -> {
                          JsonNode testCase = EngineTestData.read(file);
                          assertMatches(testCase.get("context"), testCase.get("result"));
                          passed.incrementAndGet();
                        }));
    return Stream.concat(
        tests,
        Stream.of(
            dynamicTest(
                "engine-test-data summary",
                () -> report("engine-test-data", passed.get(), files.size()))));
  }

  @TestFactory
  Stream<DynamicTest> evaluate_extraEdgeCase_equalsReferenceResult() throws IOException {
    JsonNode cases;
    try (InputStream in = getClass().getResourceAsStream("/engine-extra-cases.json")) {
      cases = Json.MAPPER.readTree(in);
    }
    List<DynamicTest> tests = new ArrayList<>();
    AtomicInteger passed = new AtomicInteger();
    for (Map.Entry<String, JsonNode> testCase : cases.properties()) {
      tests.add(
          dynamicTest(
              testCase.getKey(),
              () -> {
                assertMatches(
                    testCase.getValue().get("context"), testCase.getValue().get("result"));
                passed.incrementAndGet();
              }));
    }
    int total = tests.size();
    tests.add(dynamicTest("extra cases summary", () -> report("extra cases", passed.get(), total)));
    return tests.stream();
  }

  private static void assertMatches(JsonNode context, JsonNode expected) throws IOException {
    EvaluationResult result = FlagEngine.evaluate(context);
    JsonNode actual = Json.MAPPER.readTree(result.toJson());
    assertEquals(expected, actual, () -> "expected " + expected + "\n  actual " + actual);
  }

  private static void report(String suite, int passed, int total) {
    System.out.printf("%s: %d/%d cases passed%n", suite, passed, total);
    assertEquals(total, passed, suite + ": not every case passed");
  }
}
