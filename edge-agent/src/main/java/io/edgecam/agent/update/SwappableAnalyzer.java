package io.edgecam.agent.update;

import io.edgecam.agent.service.FaceAnalyzer;
import io.edgecam.agent.track.Face;
import io.edgecam.face.image.Frame;
import io.edgecam.protocol.Health;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running {@link FaceAnalyzer}, replaceable while the agent runs: a model update {@linkplain
 * #install installs} a new analyzer between two frames (the tracker, which lives in the agent
 * service, keeps its tracks). During the probation that follows, the previous analyzer stays
 * loaded; if the new one throws or returns a non-finite embedding, the frame is analyzed again by
 * the previous one, which takes over, and the {@link ProbationListener} is told.
 *
 * <p>Thread-safety: {@link #analyze} runs on the pipeline thread and holds the lock for one frame;
 * {@link #install} and {@link #endProbation} (update thread) wait at most that long. Listener calls
 * happen on the pipeline thread under the lock and must only hand work off.
 */
public final class SwappableAnalyzer implements FaceAnalyzer {
  private static final Logger log = LoggerFactory.getLogger(SwappableAnalyzer.class);

  /** Told about the end of a probation; implementations hand off to their own thread. */
  public interface ProbationListener {
    /**
     * The analyzer installed for {@code probationId} failed; the previous one runs again if it was
     * still loaded ({@code previousRunning}), otherwise no analyzer runs until the next install.
     */
    void failed(long probationId, String reason, boolean previousRunning);
  }

  private final Object lock = new Object();
  private final ProbationListener listener;
  private volatile @Nullable FaceAnalyzer current;
  private volatile String lastTag;
  private @Nullable FaceAnalyzer previous; // guarded by lock: kept loaded during probation
  private long probationId; // guarded by lock; 0 = no probation
  private long probationEndNanos; // guarded by lock
  private long nextProbationId = 1; // guarded by lock
  private boolean closed; // guarded by lock

  /**
   * Runs {@code initial}; failures after {@link #install} with a probation go to {@code listener}.
   */
  public SwappableAnalyzer(FaceAnalyzer initial, ProbationListener listener) {
    this.current = initial;
    this.lastTag = initial.modelTag();
    this.listener = listener;
  }

  @Override
  public List<Face> analyze(Frame frame) {
    synchronized (lock) {
      FaceAnalyzer a = current;
      if (a == null) {
        return List.of(); // the model failed its probation; the update thread installs another
      }
      if (probationId == 0 || System.nanoTime() - probationEndNanos > 0) {
        return a.analyze(frame);
      }
      String failure;
      try {
        List<Face> faces = a.analyze(frame);
        failure = nonFinite(faces);
        if (failure == null) {
          return faces;
        }
      } catch (RuntimeException e) {
        failure = "inference failed: " + e.getMessage();
      }
      return rollBack(frame, a, failure);
    }
  }

  private List<Face> rollBack(Frame frame, FaceAnalyzer failed, String reason) {
    long id = probationId;
    probationId = 0;
    FaceAnalyzer back = previous;
    previous = null;
    current = back;
    failed.close();
    log.warn(
        "model in probation failed: {}; {}",
        reason,
        back != null ? "the previous model runs again" : "no previous model loaded yet");
    listener.failed(id, reason, back != null);
    if (back == null) {
      return List.of();
    }
    lastTag = back.modelTag();
    return back.analyze(frame);
  }

  private static @Nullable String nonFinite(List<Face> faces) {
    for (Face f : faces) {
      float[] e = f.embedding();
      if (e == null) {
        continue;
      }
      for (float v : e) {
        if (!Float.isFinite(v)) {
          return "non-finite embedding";
        }
      }
    }
    return null;
  }

  /**
   * Runs {@code next} from the next frame on. With a positive {@code probation} the analyzer it
   * replaces stays loaded until {@link #endProbation} or a failure; otherwise it is closed.
   *
   * @return the probation id (0 without probation), for {@link #endProbation} and the listener
   */
  public long install(FaceAnalyzer next, Duration probation) {
    FaceAnalyzer toClose = null;
    long id;
    synchronized (lock) {
      if (closed) {
        next.close();
        throw new IllegalStateException("analyzer closed");
      }
      FaceAnalyzer old = current;
      if (previous != null) {
        toClose = previous; // a probation still running is replaced by this one
      }
      if (probation.isZero() || probation.isNegative()) {
        previous = null;
        probationId = 0;
        id = 0;
        if (old != null) {
          if (toClose != null) {
            toClose.close();
          }
          toClose = old;
        }
      } else {
        previous = old;
        id = nextProbationId++;
        probationId = id;
        probationEndNanos = System.nanoTime() + probation.toNanos();
      }
      current = next;
      lastTag = next.modelTag();
    }
    if (toClose != null) {
      toClose.close(); // no longer reachable from analyze(): the lock was released after the swap
    }
    return id;
  }

  /**
   * Puts the running analyzer on probation for {@code remaining} without a previous one loaded (a
   * model activated before this start): a failure stops analysis and tells the listener, which
   * installs the previous model.
   *
   * @return the probation id
   */
  public long watch(Duration remaining) {
    synchronized (lock) {
      probationId = nextProbationId++;
      probationEndNanos = System.nanoTime() + remaining.toNanos();
      return probationId;
    }
  }

  /**
   * Ends probation {@code id} if it is still running: the previous analyzer is closed.
   *
   * @return whether probation {@code id} was still running (the new model is confirmed)
   */
  public boolean endProbation(long id) {
    FaceAnalyzer toClose;
    synchronized (lock) {
      if (id == 0 || probationId != id) {
        return false;
      }
      probationId = 0;
      toClose = previous;
      previous = null;
    }
    if (toClose != null) {
      toClose.close();
    }
    return true;
  }

  /** Whether an analyzer runs (false after a failed probation with nothing to fall back to). */
  public boolean isRunning() {
    return current != null;
  }

  @Override
  public String modelTag() {
    FaceAnalyzer a = current;
    return a != null ? a.modelTag() : lastTag;
  }

  @Override
  public Map<String, String> versions() {
    FaceAnalyzer a = current;
    return a != null ? a.versions() : Map.of();
  }

  @Override
  public Map<String, Long> counters() {
    FaceAnalyzer a = current;
    return a != null ? a.counters() : Map.of();
  }

  @Override
  public Health health() {
    FaceAnalyzer a = current;
    return a != null ? a.health() : Health.failed("model failed its probation; rolling back");
  }

  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      if (current != null) {
        current.close();
      }
      if (previous != null) {
        previous.close();
      }
      current = null;
      previous = null;
    }
  }
}
