package dev.flagedge.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

class LinkHeaderTest {
  private static final String DOCUMENT = "https://api.example/api/v1/environment-document/";
  private static final HttpUrl BASE = HttpUrl.get(DOCUMENT);

  @Test
  void next_absoluteLink_found() {
    assertEquals(
        Optional.of(HttpUrl.get(DOCUMENT + "?page_id=2")),
        LinkHeader.next(List.of("<" + DOCUMENT + "?page_id=2>; rel=\"next\""), BASE));
  }

  @Test
  void next_relativeLink_resolvedAgainstPage() {
    assertEquals(
        Optional.of(HttpUrl.get(DOCUMENT + "?page_id=x")),
        LinkHeader.next(List.of("<?page_id=x>; rel=next"), BASE));
  }

  @Test
  void next_amongOtherRelations_found() {
    List<String> values =
        List.of(
            "<https://api.example/first>; rel=\"first\", "
                + "<https://api.example/n>; title=\"a, b\"; rel=\"prev next\"");
    assertEquals(Optional.of(HttpUrl.get("https://api.example/n")), LinkHeader.next(values, BASE));
  }

  @Test
  void next_inSecondHeader_found() {
    assertEquals(
        Optional.of(HttpUrl.get("https://api.example/2")),
        LinkHeader.next(
            List.of("<https://api.example/0>; rel=prev", "<https://api.example/2>; REL=\"Next\""),
            BASE));
  }

  @Test
  void next_absentOrMalformed_empty() {
    assertEquals(Optional.empty(), LinkHeader.next(List.of(), BASE));
    assertEquals(Optional.empty(), LinkHeader.next(List.of("<https://a/b>; rel=\"prev\""), BASE));
    assertEquals(Optional.empty(), LinkHeader.next(List.of("https://a/b; rel=\"next\""), BASE));
    assertEquals(Optional.empty(), LinkHeader.next(List.of("<ftp://a/b>; rel=\"next\""), BASE));
    assertEquals(
        Optional.empty(), LinkHeader.next(List.of("<https://a/b>; rel=\"nextpage\""), BASE));
  }
}
