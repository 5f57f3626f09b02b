package io.edgecam.matcher.ingest;

import io.edgecam.matcher.index.Match;
import io.edgecam.matcher.watchlist.Origin;
import io.edgecam.protocol.Alert;
import io.edgecam.protocol.Candidate;
import io.edgecam.protocol.MalformedMessageException;
import io.edgecam.protocol.Topics;
import io.edgecam.protocol.seal.CandidateOpener;
import io.edgecam.protocol.seal.UnsealException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The matcher's decision for one received message: check topic and payload, drop duplicates, search
 * the watchlist, then either record and raise an alert or discard the candidate on the spot
 * (nothing of a non-match is stored). Thread-safe; calls are serialized.
 *
 * <p>Dedup has two layers: the persistent one is the store's unique (device, sequence) key on
 * alerts, which holds across restarts; an in-memory window of recent keys also catches redelivered
 * non-matches so that they are counted as duplicates instead of re-searched.
 */
public final class CandidateProcessor implements CandidateHandler {
  private static final Logger log = LoggerFactory.getLogger(CandidateProcessor.class);
  private static final int RECENT_KEYS = 100_000;
  private static final int LOUD_MALFORMED = 10;
  private static final int MALFORMED_LOG_EVERY = 1_000;

  /** What became of a message. */
  public enum Outcome {
    MALFORMED,
    DUPLICATE,
    MATCHED,
    DISCARDED
  }

  /**
   * A well-formed candidate this processor decided on.
   *
   * @param device the candidate's device
   * @param sequence its sequence number
   * @param outcome {@code DUPLICATE}, {@code MATCHED} or {@code DISCARDED}
   * @param site the site of its topic
   */
  public record Handled(String device, long sequence, Outcome outcome, String site) {}

  private final CandidateMatcher matcher;
  private final AlertRecorder recorder;
  private final Consumer<Alert> alerts;
  private final IngestCounters counters;
  private final Clock clock;
  private final List<Consumer<Handled>> listeners = new CopyOnWriteArrayList<>();
  private final CandidateOpener opener;
  private final Predicate<String> revoked;
  private final Map<String, Boolean> recent =
      new LinkedHashMap<>(1024, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > RECENT_KEYS;
        }
      };

  /**
   * @param matcher the watchlist search
   * @param recorder persists alerts once per (device, sequence)
   * @param alerts receives each new alert after it was recorded; must not block
   * @param counters where outcomes are counted
   * @param clock time of the match decision and of expiry checks
   */
  public CandidateProcessor(
      CandidateMatcher matcher,
      AlertRecorder recorder,
      Consumer<Alert> alerts,
      IngestCounters counters,
      Clock clock) {
    this(matcher, recorder, alerts, counters, clock, CandidateOpener.plainOnly());
  }

  /**
   * @param opener decodes candidates and opens sealed ones with the matcher's keys
   */
  public CandidateProcessor(
      CandidateMatcher matcher,
      AlertRecorder recorder,
      Consumer<Alert> alerts,
      IngestCounters counters,
      Clock clock,
      CandidateOpener opener) {
    this(matcher, recorder, alerts, counters, clock, opener, device -> false);
  }

  /**
   * @param revoked true for a device id whose candidates are refused (counted as malformed {@code
   *     revoked}), e.g. {@link RevokedIds}
   */
  public CandidateProcessor(
      CandidateMatcher matcher,
      AlertRecorder recorder,
      Consumer<Alert> alerts,
      IngestCounters counters,
      Clock clock,
      CandidateOpener opener,
      Predicate<String> revoked) {
    this.revoked = revoked;
    this.matcher = matcher;
    this.recorder = recorder;
    this.alerts = alerts;
    this.counters = counters;
    this.clock = clock;
    this.opener = opener;
  }

  /**
   * Adds a listener told of every decision on a well-formed candidate, on the ingest thread, after
   * the decision took effect (alert stored). Must not block. For tests and metrics; it receives no
   * embedding.
   */
  public void addListener(Consumer<Handled> listener) {
    listeners.add(listener);
  }

  private Outcome handled(String site, Candidate c, Outcome outcome) {
    for (Consumer<Handled> l : listeners) {
      l.accept(new Handled(c.device(), c.sequence(), outcome, site));
    }
    return outcome;
  }

  @Override
  public void handle(String topic, byte[] payload) {
    process(topic, payload);
  }

  /**
   * Processes one message.
   *
   * @throws io.edgecam.protocol.EdgecamException only if the alert cannot be stored; the caller
   *     must then not acknowledge the message
   */
  public synchronized Outcome process(String topic, byte[] payload) {
    counters.received();
    Topics.DeviceTopic source;
    try {
      source = Topics.parseDeviceTopic(topic);
    } catch (MalformedMessageException e) {
      return malformed(MalformedReason.TOPIC, e.getMessage());
    }
    if (!"candidates".equals(source.kind())) {
      return malformed(MalformedReason.TOPIC, "not a candidates topic: " + topic);
    }
    // Before opening: a revoked device's payload is not even decrypted.
    if (revoked.test(source.device())) {
      return malformed(
          MalformedReason.REVOKED, "device '" + source.device() + "' is revoked (" + topic + ")");
    }
    Candidate c;
    try {
      c = opener.open(payload);
    } catch (MalformedMessageException e) {
      return malformed(MalformedReason.PAYLOAD, "from " + topic + ": " + e.getMessage());
    } catch (UnsealException e) {
      MalformedReason reason =
          e.kind() == UnsealException.Kind.NOT_SEALED
              ? MalformedReason.UNSEALED
              : MalformedReason.SEALED;
      return malformed(reason, "from " + topic + ": " + e.getMessage());
    }
    if (!c.device().equals(source.device())) {
      return malformed(
          MalformedReason.DEVICE_MISMATCH,
          "payload device '" + c.device() + "' published on " + topic);
    }
    int dims = matcher.dimensions();
    if (dims != 0 && c.embedding().dimensions() != dims) {
      return malformed(
          MalformedReason.DIMENSIONS,
          "from "
              + topic
              + ": embedding has "
              + c.embedding().dimensions()
              + " dimensions, the watchlist "
              + dims);
    }
    String model = matcher.model();
    if (model != null && !model.equals(c.model())) {
      return malformed(
          MalformedReason.MODEL,
          "from "
              + topic
              + ": embedding of model '"
              + c.model()
              + "', the watchlist holds '"
              + model
              + "' embeddings");
    }
    String key = c.device() + '\u0000' + c.sequence();
    if (recent.containsKey(key)) {
      counters.duplicate();
      return handled(source.site(), c, Outcome.DUPLICATE);
    }
    Match m = matcher.match(c.embedding(), new Origin(source.site(), c.device()));
    if (m == null) {
      recent.put(key, Boolean.TRUE);
      counters.discarded();
      return handled(source.site(), c, Outcome.DISCARDED);
    }
    Alert alert =
        new Alert(
            1,
            UUID.randomUUID().toString(),
            source.site(),
            c.device(),
            c.sequence(),
            c.captureTimeMillis(),
            clock.millis(),
            m.entryId(),
            m.label(),
            m.score(),
            m.threshold(),
            c.trackId(),
            c.box(),
            m.secondScore(),
            m.margin(),
            // An index searched alone (tests) knows no operating point: bounded by 1 only.
            Double.isNaN(m.expectedFpir()) ? 1.0 : m.expectedFpir());
    boolean fresh = recorder.recordOnce(alert);
    recent.put(key, Boolean.TRUE);
    if (!fresh) {
      counters.duplicate();
      return handled(source.site(), c, Outcome.DUPLICATE);
    }
    counters.matched();
    log.info(
        "Match: device {} sequence {} -> entry {} (score {}, threshold {}, margin {})",
        c.device(),
        c.sequence(),
        m.entryId(),
        String.format("%.3f", m.score()),
        String.format("%.2f", m.threshold()),
        String.format("%.3f", m.margin()));
    alerts.accept(alert);
    return handled(source.site(), c, Outcome.MATCHED);
  }

  private Outcome malformed(MalformedReason reason, String detail) {
    long n = counters.malformed(reason);
    if (n <= LOUD_MALFORMED || n % MALFORMED_LOG_EVERY == 0) {
      log.warn("Rejected candidate ({}, #{}): {}", reason.key(), n, detail);
    } else {
      log.debug("Rejected candidate ({}, #{}): {}", reason.key(), n, detail);
    }
    return Outcome.MALFORMED;
  }
}
