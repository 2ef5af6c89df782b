package dev.flagedge.sync;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;
import java.util.Optional;

/** Turns a document's {@code updated_at} into an {@code If-Modified-Since} value. */
final class HttpDates {
  /** RFC 7231 IMF-fixdate, e.g. {@code Sun, 20 Jul 1969 20:17:40 GMT}: two-digit day, GMT. */
  private static final DateTimeFormatter IMF_FIXDATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);

  private HttpDates() {}

  /**
   * Parses an ISO-8601 timestamp with a {@code Z} or numeric offset, a region, or no zone at all
   * (read as UTC, as the Flagsmith API writes them).
   */
  static Optional<Instant> parseIso(String text) {
    try {
      TemporalAccessor parsed =
          DateTimeFormatter.ISO_DATE_TIME.parseBest(
              text.trim(), ZonedDateTime::from, LocalDateTime::from);
      return Optional.of(
          parsed instanceof ZonedDateTime zoned
              ? zoned.toInstant()
              : ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** The HTTP date of an {@code updated_at} value, truncated to seconds; empty if unparsable. */
  static Optional<String> ifModifiedSince(String updatedAt) {
    return parseIso(updatedAt).map(t -> IMF_FIXDATE.format(t.truncatedTo(ChronoUnit.SECONDS)));
  }
}
