package io.edgecam.matcher.ingest;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Monotonic counters of what happened to received candidates. Every received candidate ends in
 * exactly one of malformed, duplicate, matched or discarded. Thread-safe.
 */
public final class IngestCounters {
  private final LongAdder received = new LongAdder();
  private final LongAdder duplicates = new LongAdder();
  private final LongAdder matched = new LongAdder();
  private final LongAdder discarded = new LongAdder();
  private final Map<MalformedReason, AtomicLong> malformed = new ConcurrentHashMap<>();

  void received() {
    received.increment();
  }

  void duplicate() {
    duplicates.increment();
  }

  void matched() {
    matched.increment();
  }

  void discarded() {
    discarded.increment();
  }

  /** Counts a malformed candidate; returns how many of this reason there have been. */
  long malformed(MalformedReason reason) {
    return malformed.computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
  }

  /** A consistent-enough copy for status output and tests. */
  public Snapshot snapshot() {
    Map<String, Long> byReason = new TreeMap<>();
    long total = 0;
    for (Map.Entry<MalformedReason, AtomicLong> e : malformed.entrySet()) {
      long n = e.getValue().get();
      byReason.put(e.getKey().key(), n);
      total += n;
    }
    return new Snapshot(
        received.sum(), total, duplicates.sum(), matched.sum(), discarded.sum(), byReason);
  }

  /**
   * Counter values at one moment.
   *
   * @param received candidates that arrived on the candidates topic
   * @param malformed candidates rejected as malformed, for any reason
   * @param duplicates candidates whose (device, sequence) had been processed before
   * @param matched candidates that raised an alert
   * @param discarded candidates that matched no entry and were dropped
   * @param malformedByReason malformed count per {@link MalformedReason#key()}
   */
  public record Snapshot(
      long received,
      long malformed,
      long duplicates,
      long matched,
      long discarded,
      Map<String, Long> malformedByReason) {
    public Snapshot {
      malformedByReason = Map.copyOf(malformedByReason);
    }
  }
}
