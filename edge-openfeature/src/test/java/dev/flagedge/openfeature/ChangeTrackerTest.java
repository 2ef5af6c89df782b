package dev.flagedge.openfeature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flagedge.engine.Flag;
import dev.flagedge.sync.SyncFailure;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.ProviderEvent;
import dev.openfeature.sdk.ProviderEventDetails;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChangeTrackerTest {
  private static final String DOCUMENT = TestDocuments.text();
  private static final List<Flag> ORIGINAL = TestDocuments.environmentFlags(DOCUMENT);

  private record Event(ProviderEvent event, ProviderEventDetails details) {}

  private final List<Event> events = new ArrayList<>();
  private final ChangeTracker tracker =
      new ChangeTracker((event, details) -> events.add(new Event(event, details)));

  private static List<Flag> edited(String from, String to) {
    String document = DOCUMENT.replace(from, to);
    assertFalse(document.equals(DOCUMENT), "the edit must apply: " + from);
    return TestDocuments.environmentFlags(document);
  }

  private static SyncFailure failure(String message) {
    return SyncFailure.of(SyncFailure.Kind.HTTP_STATUS, message);
  }

  /** Initialized with the original document, as a client tells it on subscription. */
  private void ready() {
    tracker.starting();
    tracker.documentChanged(ORIGINAL);
    assertTrue(tracker.initialized());
  }

  private List<ProviderEvent> kinds() {
    return events.stream().map(Event::event).toList();
  }

  @Test
  void documentChanged_duringInitialization_recordedSilently() {
    tracker.starting();
    tracker.documentChanged(ORIGINAL);
    assertTrue(tracker.initialized(), "the recorded document makes the provider ready");
    assertEquals(List.of(), events);
  }

  @Test
  void documentChanged_afterReady_configurationChangedWithChangedNames() {
    ready();

    tracker.documentChanged(edited("\"Old banner\"", "\"Older banner\""));
    tracker.documentChanged(edited("\"name\": \"pi\"", "\"name\": \"tau\""));

    assertEquals(
        List.of(
            ProviderEvent.PROVIDER_CONFIGURATION_CHANGED,
            ProviderEvent.PROVIDER_CONFIGURATION_CHANGED),
        kinds());
    assertEquals(List.of("legacy_banner"), events.get(0).details().getFlagsChanged());
    assertEquals(
        List.of("legacy_banner", "tau", "pi"),
        events.get(1).details().getFlagsChanged(),
        "reverted, added and removed flags");
  }

  @Test
  void documentChanged_enabledStateOnly_listed() {
    ready();
    tracker.documentChanged(
        edited(
            "\"enabled\": false,\n      \"feature_state_value\": \"Old",
            "\"enabled\": true,\n      \"feature_state_value\": \"Old"));
    assertEquals(List.of("legacy_banner"), events.get(0).details().getFlagsChanged());
  }

  @Test
  void documentChanged_afterFailedInitialization_ready() {
    tracker.starting();
    assertFalse(tracker.initialized());
    tracker.failed(failure("upstream returned HTTP 503"));
    tracker.documentChanged(ORIGINAL);
    tracker.documentChanged(ORIGINAL);
    assertEquals(
        List.of(ProviderEvent.PROVIDER_READY, ProviderEvent.PROVIDER_CONFIGURATION_CHANGED),
        kinds());
    assertEquals(List.of(), events.get(1).details().getFlagsChanged());
  }

  @Test
  void failed_whileReady_staleOncePerStreakThenReadyOnRecovery() {
    ready();
    tracker.recovered();
    tracker.failed(failure("upstream returned HTTP 503"));
    tracker.failed(failure("upstream returned HTTP 503"));
    tracker.recovered();
    tracker.recovered();
    assertEquals(List.of(ProviderEvent.PROVIDER_STALE, ProviderEvent.PROVIDER_READY), kinds());
    assertEquals(
        "flags may be out of date: upstream returned HTTP 503",
        events.get(0).details().getMessage());
  }

  @Test
  void removed_whileReady_errorThenReadyWhenServedAgain() {
    ready();
    tracker.failed(failure("upstream returned HTTP 503"));
    tracker.removed();
    tracker.removed();
    tracker.failed(failure("upstream returned HTTP 503"));
    tracker.documentChanged(ORIGINAL);
    assertEquals(
        List.of(
            ProviderEvent.PROVIDER_STALE,
            ProviderEvent.PROVIDER_ERROR,
            ProviderEvent.PROVIDER_READY),
        kinds());
    assertEquals(ErrorCode.GENERAL, events.get(1).details().getErrorCode());
  }

  @Test
  void onFailure_syncFailure_staleWithItsMessage() {
    ready();
    tracker.onFailure(
        "key", SyncFailure.of(SyncFailure.Kind.TIMEOUT, "upstream request timed out"), 3);
    assertEquals(
        "flags may be out of date: upstream request timed out",
        events.get(0).details().getMessage());
  }

  @Test
  void stop_noFurtherEvents() {
    ready();
    tracker.stop();
    tracker.documentChanged(edited("\"Old banner\"", "\"Older banner\""));
    tracker.failed(failure("gone"));
    assertEquals(List.of(), events);
  }
}
