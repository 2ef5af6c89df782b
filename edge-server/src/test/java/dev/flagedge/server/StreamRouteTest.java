package dev.flagedge.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The one path parser of the stream routes (and the queue-change route). */
class StreamRouteTest {
  @Test
  void flagsmithStream_keyBetweenPrefixAndSuffix() {
    assertTrue(StreamRoute.matches("/sse/environments/key/stream"));
    assertFalse(StreamRoute.matches("/sse/environments//stream"));
    assertFalse(StreamRoute.matches("/sse/environments/stream"));
    assertFalse(StreamRoute.matches("/sse/environments/a/b/stream"));
    assertFalse(StreamRoute.matches("/sse/environments/key/streams"));
  }

  @Test
  void ofrepStream_keyAfterThePrefix() {
    assertTrue(StreamRoute.matchesOfrep("/ofrep/v1/events/key"));
    assertFalse(StreamRoute.matchesOfrep("/ofrep/v1/events/"));
    assertFalse(StreamRoute.matchesOfrep("/ofrep/v1/events/a/b"));
    assertFalse(StreamRoute.matchesOfrep("/sse/environments/key/stream"));
  }

  @Test
  void clientKeyIn_otherSuffix() {
    assertEquals(
        "key", StreamRoute.clientKeyIn("/sse/environments/key/queue-change", "/queue-change"));
    assertNull(StreamRoute.clientKeyIn("/sse/environments/key/stream", "/queue-change"));
  }
}
