package dev.flagedge.server;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Values made once per route (or span name) and HTTP status, for the bookkeeping every request
 * does: finding a metric's data point or attributes by their labels on each request allocated and
 * hashed them. Thread-safe; two threads may make the same value once, and either is kept.
 */
final class StatusTable<T> {
  private static final int STATUSES = 600;

  private final Map<String, AtomicReferenceArray<T>> byName = new ConcurrentHashMap<>();

  /** The value kept for the name and status, or null: not made yet, or a status out of range. */
  T get(String name, int status) {
    AtomicReferenceArray<T> byStatus = byName.get(name);
    return byStatus == null || !inRange(status) ? null : byStatus.get(status);
  }

  /** Keeps the value (unless the status is out of range) and returns it. */
  T put(String name, int status, T value) {
    if (inRange(status)) {
      byName.computeIfAbsent(name, n -> new AtomicReferenceArray<>(STATUSES)).set(status, value);
    }
    return value;
  }

  private static boolean inRange(int status) {
    return status >= 0 && status < STATUSES;
  }
}
