package dev.flagedge.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClientListenersTest {
  private final ClientListeners listeners = new ClientListeners("mine");
  private final RecordingListener recorder = new RecordingListener();

  @Test
  void events_otherEnvironment_notForwarded() {
    listeners.add(recorder);
    listeners.onFailure("other", SyncFailure.of(SyncFailure.Kind.NETWORK, "down"), 1);
    listeners.onRecovery("other");
    listeners.onRemoved("other");
    assertEquals(List.of(), recorder.events);
  }

  @Test
  void add_afterRemoved_nothingToCatchUp() {
    listeners.onFailure("mine", SyncFailure.of(SyncFailure.Kind.TIMEOUT, "slow"), 1);
    listeners.onRemoved("mine");
    listeners.add(recorder);
    assertEquals(List.of(), recorder.events);
  }

  @Test
  void add_duringStreak_latestStreakLength() {
    listeners.onFailure("mine", SyncFailure.of(SyncFailure.Kind.TIMEOUT, "slow"), 1);
    listeners.onFailure("mine", SyncFailure.of(SyncFailure.Kind.NETWORK, "down"), 2);
    listeners.add(recorder);
    assertEquals(List.of("failure mine 2 down"), recorder.events);
  }

  @Test
  void listener_addsAnotherWhileCalled_newOneCaughtUpOnce() {
    RecordingListener added = new RecordingListener();
    listeners.add(
        new SyncListener() {
          @Override
          public void onRecovery(String clientKey) {
            listeners.add(added);
          }
        });
    listeners.onFailure("mine", SyncFailure.of(SyncFailure.Kind.NETWORK, "down"), 1);
    listeners.onRecovery("mine");
    assertEquals(
        List.of(), added.events, "recovered: no streak to catch up, and no recovery twice");
  }
}
