package dev.flagedge.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpDatesTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "2026-11-25T10:00:00Z            | Wed, 25 Nov 2026 10:00:00 GMT",
        "2026-11-24T16:49:46.644188Z     | Tue, 24 Nov 2026 16:49:46 GMT",
        "2026-11-24T16:49:46.644188+00:00 | Tue, 24 Nov 2026 16:49:46 GMT",
        "2026-11-24T18:49:46+02:00       | Tue, 24 Nov 2026 16:49:46 GMT",
        "2026-11-24T16:49:46.644188      | Tue, 24 Nov 2026 16:49:46 GMT",
        "1969-07-20T20:17:40Z            | Sun, 20 Jul 1969 20:17:40 GMT",
        "2026-03-05T01:02:03Z            | Thu, 05 Mar 2026 01:02:03 GMT",
      })
  void ifModifiedSince_isoTimestamp_imfFixdate(String updatedAt, String expected) {
    assertEquals(Optional.of(expected), HttpDates.ifModifiedSince(updatedAt));
  }

  @ParameterizedTest
  @CsvSource({"yesterday", "2026-13-01T00:00:00Z", "''", "2026-11-24"})
  void ifModifiedSince_unparsable_empty(String updatedAt) {
    assertEquals(Optional.empty(), HttpDates.ifModifiedSince(updatedAt));
  }
}
