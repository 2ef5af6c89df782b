package dev.flagedge.server;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * A document's {@code updated_at} as Flagsmith's realtime clients read it: Unix epoch seconds with
 * a fractional part, as Python prints {@code datetime.timestamp()} ({@code 1735229888.76}; a whole
 * second keeps its {@code .0}, which Flutter needs to parse a double). Written from the exact
 * decimal, not through a double: for timestamps with microseconds that is the same text as Python's
 * shortest repr.
 */
record UpdatedAt(BigDecimal seconds) implements Comparable<UpdatedAt> {
  /** The value of an ISO 8601 {@code updated_at}; naive times are UTC, as the API writes them. */
  static Optional<UpdatedAt> parse(String iso) {
    if (iso == null) {
      return Optional.empty();
    }
    Instant instant;
    try {
      instant = OffsetDateTime.parse(iso).toInstant();
    } catch (DateTimeParseException e) {
      try {
        instant = LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException again) {
        return Optional.empty();
      }
    }
    return Optional.of(
        new UpdatedAt(
            BigDecimal.valueOf(instant.getEpochSecond())
                .add(BigDecimal.valueOf(instant.getNano(), 9))));
  }

  /** The instant, to the nanosecond. */
  Instant instant() {
    BigDecimal whole = seconds.setScale(0, java.math.RoundingMode.FLOOR);
    return Instant.ofEpochSecond(
        whole.longValueExact(), seconds.subtract(whole).movePointRight(9).intValue());
  }

  /** The epoch seconds as text: {@code 1735229888.76}, {@code 1735229888.0}. */
  String text() {
    String plain = seconds.stripTrailingZeros().toPlainString();
    return plain.indexOf('.') < 0 ? plain + ".0" : plain;
  }

  @Override
  public int compareTo(UpdatedAt other) {
    return seconds.compareTo(other.seconds);
  }
}
