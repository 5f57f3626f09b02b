package io.edgecam.agent.systemd;

import io.edgecam.agent.config.SourceConfig;
import io.edgecam.agent.service.AgentService;
import io.edgecam.protocol.Health;
import io.edgecam.runtime.systemd.Liveness;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The agent's definition of progress for the systemd watchdog (docs/operations.md, "Watchdog"). The
 * agent is progressing when its pipeline thread
 *
 * <ul>
 *   <li>analyzed a frame within the stall limit, or
 *   <li>is legitimately idle: a live source (RTSP, MJPEG, V4L2) that reports DEGRADED health is
 *       reconnecting with backoff inside the source, every FFmpeg call bounded by its 5 s timeout;
 *       restarting the agent would not bring the camera back, and the status topic says so, or
 *   <li>ended normally (a finite file or folder source) and the agent is sending the rest.
 * </ul>
 *
 * <p>It is stalled when the pipeline thread died on an error, or when no frame was analyzed for
 * longer than the stall limit while the source claims to be fine (a hung inference or a read that
 * never returns): then the watchdog starves and systemd restarts the agent.
 */
public final class AgentLiveness implements Liveness {
  private final LongSupplier lastProgressNanos;
  private final BooleanSupplier failed;
  private final BooleanSupplier ended;
  private final Supplier<Health> camera;
  private final LongSupplier frames;
  private final boolean liveSource;
  private final long stallNanos;

  AgentLiveness(
      LongSupplier lastProgressNanos,
      BooleanSupplier failed,
      BooleanSupplier ended,
      Supplier<Health> camera,
      LongSupplier frames,
      boolean liveSource,
      Duration stallLimit) {
    if (stallLimit.isNegative() || stallLimit.isZero()) {
      throw new IllegalArgumentException("stallLimit must be > 0, was " + stallLimit);
    }
    this.lastProgressNanos = lastProgressNanos;
    this.failed = failed;
    this.ended = ended;
    this.camera = camera;
    this.frames = frames;
    this.liveSource = liveSource;
    this.stallNanos = stallLimit.toNanos();
  }

  /**
   * Progress of {@code service}.
   *
   * @param source the service's source config (live or file, and its fps)
   * @param watchdog systemd's WatchdogSec; the stall limit is the larger of it and three frame
   *     intervals, so a slowly paced folder does not count as stalled
   */
  public static AgentLiveness of(AgentService service, SourceConfig source, Duration watchdog) {
    return new AgentLiveness(
        service::lastProgressNanos,
        service::pipelineFailed,
        service::pipelineEnded,
        () -> service.health().get("camera"),
        () -> service.counters().frames(),
        source.isLive(),
        stallLimit(source, watchdog));
  }

  static Duration stallLimit(SourceConfig source, Duration watchdog) {
    Duration frames =
        source.fps() > 0 ? Duration.ofMillis((long) Math.ceil(3000 / source.fps())) : Duration.ZERO;
    Duration limit = frames.compareTo(watchdog) > 0 ? frames : watchdog;
    return limit.isZero() ? Duration.ofSeconds(30) : limit;
  }

  @Override
  public Verdict check(long nowNanos) {
    long n = frames.getAsLong();
    if (failed.getAsBoolean()) {
      return Verdict.stalled("pipeline stopped on an error after " + n + " frames (see the log)");
    }
    if (ended.getAsBoolean()) {
      return Verdict.progressing("source ended after " + n + " frames; sending the rest");
    }
    long idleNanos = nowNanos - lastProgressNanos.getAsLong();
    Health cam = camera.get();
    if (idleNanos <= stallNanos) {
      return Verdict.progressing(n + " frames; camera " + describe(cam));
    }
    if (liveSource && cam.state() != Health.State.OK) {
      return Verdict.progressing("waiting for the camera: " + describe(cam));
    }
    return Verdict.stalled(
        "no frame analyzed for "
            + Duration.ofNanos(idleNanos).toSeconds()
            + " s (camera "
            + describe(cam)
            + ")");
  }

  private static String describe(Health h) {
    String state = h.state().name().toLowerCase();
    return h.reason().isEmpty() ? state : state + ": " + h.reason().replace('\n', ' ');
  }
}
