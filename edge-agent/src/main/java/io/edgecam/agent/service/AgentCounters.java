package io.edgecam.agent.service;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Monotonic counters of one agent run, reported in the status message. Thread-safe. */
public final class AgentCounters {
  final AtomicLong frames = new AtomicLong();
  final AtomicLong faces = new AtomicLong();
  final AtomicLong candidates = new AtomicLong();
  final AtomicLong prefiltered = new AtomicLong();
  final AtomicLong spooled = new AtomicLong();
  final AtomicLong idleFrames = new AtomicLong();

  /** Frames analyzed. */
  public long frames() {
    return frames.get();
  }

  /** Faces found (passing the quality gate or not). */
  public long faces() {
    return faces.get();
  }

  /** Best shots produced by the tracker. */
  public long candidates() {
    return candidates.get();
  }

  /** Best shots the prefilter held back. */
  public long prefiltered() {
    return prefiltered.get();
  }

  /** Candidates written to the spool. */
  public long spooled() {
    return spooled.get();
  }

  /** Frames read but not analyzed because the {@link FrameGate} was closed (no motion). */
  public long idleFrames() {
    return idleFrames.get();
  }

  Map<String, Long> asMap() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("frames", frames());
    m.put("faces", faces());
    m.put("candidates", candidates());
    m.put("prefiltered", prefiltered());
    m.put("spooled", spooled());
    m.put("frames_idle", idleFrames());
    return m;
  }
}
