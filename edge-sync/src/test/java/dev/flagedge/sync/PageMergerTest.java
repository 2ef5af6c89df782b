package dev.flagedge.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PageMergerTest {
  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void merge_threePages_appendsOverridesInOrderAndKeepsNumbersExact() throws Exception {
    String merged =
        new String(
            PageMerger.merge(
                List.of(
                    utf8(TestDocuments.text("page-1.json")),
                    utf8(TestDocuments.text("page-2.json")),
                    utf8(TestDocuments.text("page-3.json")))),
            StandardCharsets.UTF_8);
    assertTrue(
        merged.indexOf("user-1") < merged.indexOf("user-2")
            && merged.indexOf("user-2") < merged.indexOf("user-3"),
        merged);
    assertTrue(merged.contains("\"feature_state_value\":1.10"), merged);
    assertTrue(merged.startsWith("{\"api_key\":\"client-key\""), merged);
  }

  @Test
  void merge_pagesWithoutOverrides_skipped() throws Exception {
    byte[] merged =
        PageMerger.merge(
            List.of(
                utf8("{\"api_key\":\"k\"}"),
                utf8("{}"),
                utf8("{\"identity_overrides\":null}"),
                utf8("{\"identity_overrides\":[1]}")));
    assertEquals(
        "{\"api_key\":\"k\",\"identity_overrides\":[1]}",
        new String(merged, StandardCharsets.UTF_8));
  }

  @Test
  void merge_pageNotAnObject_fails() {
    FetchException e =
        assertThrows(
            FetchException.class, () -> PageMerger.merge(List.of(utf8("{}"), utf8("[1]"))));
    assertEquals("invalid document: page 2 is not a JSON object", e.getMessage());
  }

  @Test
  void merge_overridesNotAnArray_fails() {
    FetchException e =
        assertThrows(
            FetchException.class,
            () -> PageMerger.merge(List.of(utf8("{}"), utf8("{\"identity_overrides\":{}}"))));
    assertEquals("invalid document: identity_overrides on page 2 is not an array", e.getMessage());
  }

  @Test
  void merge_invalidJsonPage_fails() {
    FetchException e =
        assertThrows(
            FetchException.class,
            () -> PageMerger.merge(List.of(utf8("{}"), utf8("{\"identity_"))));
    assertTrue(
        e.getMessage().startsWith("invalid document: page 2 is not valid JSON"), e.getMessage());
  }
}
