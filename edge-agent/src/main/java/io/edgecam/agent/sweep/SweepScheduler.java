package io.edgecam.agent.sweep;

import io.edgecam.face.detect.Detection;
import io.edgecam.face.detect.TileGrid;
import io.edgecam.face.detect.TilePlan;
import io.edgecam.face.detect.TileScheduler;
import io.edgecam.face.image.Frame;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The agent's {@link TileScheduler}: searching all 40 tiles of a 1080p frame every frame would cost
 * 40 model runs, so each frame searches, besides the whole-frame pass,
 *
 * <ol>
 *   <li>the faces found in the previous frame, each in a crop of 4x its size around it ({@link
 *       #follow}; one model run per face): a face seen once is followed every frame;
 *   <li>the next {@code ceil(tiles / sweepFrames)} tiles of a round-robin sweep: every tile is
 *       searched at least once in {@code sweepFrames} frames;
 *   <li>tiles where the frame changed since the previous one ({@link MotionGrid}): someone walking
 *       in is searched before the sweep comes round.
 * </ol>
 *
 * <p>With a budget, no tile is started once {@code frameBudgetMs} has passed since the frame's plan
 * began (the whole-frame pass and the followed faces included); a frame whose sweep share was not
 * finished is counted in {@link #framesCutShort()} and the sweep resumes where it stopped. The
 * tracker carries faces between two sweeps of their tile.
 *
 * <p>Called from the pipeline thread; the counters may be read from any thread.
 */
public final class SweepScheduler implements TileScheduler {
  private final int sweepFrames;
  private final long budgetNanos;
  private final LongSupplier nanoClock;
  private final MotionGrid motion = new MotionGrid();
  private final AtomicLong cutShort = new AtomicLong();
  private final AtomicLong tilesSearched = new AtomicLong();
  private List<Detection> lastFaces = List.of();
  private int cursor;
  private int gridCount = -1;

  /**
   * @param sweepFrames every tile is searched at least once in this many frames (>= 1)
   * @param frameBudgetMs detection time per frame, ms; 0 = no budget
   * @param nanoClock the time, ns ({@link System#nanoTime} outside tests)
   */
  public SweepScheduler(int sweepFrames, int frameBudgetMs, LongSupplier nanoClock) {
    if (sweepFrames < 1) {
      throw new IllegalArgumentException("sweepFrames must be >= 1, was " + sweepFrames);
    }
    if (frameBudgetMs < 0) {
      throw new IllegalArgumentException("frameBudgetMs must be >= 0, was " + frameBudgetMs);
    }
    this.sweepFrames = sweepFrames;
    this.budgetNanos = frameBudgetMs * 1_000_000L;
    this.nanoClock = nanoClock;
  }

  @Override
  public TilePlan plan(Frame frame, TileGrid grid) {
    long start = nanoClock.getAsLong();
    int n = grid.count();
    if (n != gridCount) {
      gridCount = n;
      cursor = 0;
      lastFaces = List.of();
    }
    BitSet moving = motion.update(frame, grid);
    List<Integer> order = new ArrayList<>();
    BitSet planned = new BitSet(n);
    int share = n == 0 ? 0 : (n + sweepFrames - 1) / sweepFrames;
    for (int k = 0; k < share; k++) {
      int t = (cursor + k) % n;
      order.add(t);
      planned.set(t);
    }
    for (int t = moving.nextSetBit(0); t >= 0; t = moving.nextSetBit(t + 1)) {
      if (!planned.get(t)) {
        planned.set(t);
        order.add(t);
      }
    }
    return new Plan(order, share, start, n);
  }

  /**
   * No verification run per tile face: ~1 model run per face per frame, while the tracker and the
   * quality gate already keep single-frame false faces from becoming candidates (measured: 0
   * gate-passed false positives per frame on the generated CCTV set; docs/accuracy.md).
   */
  @Override
  public boolean verifyTileFaces() {
    return false;
  }

  @Override
  public void found(List<Detection> faces) {
    lastFaces = List.copyOf(faces);
  }

  /** The faces of the previous frame: each is searched again in a crop around it. */
  @Override
  public List<Detection> follow() {
    return lastFaces;
  }

  /** Frames whose sweep share was cut short by the budget. */
  public long framesCutShort() {
    return cutShort.get();
  }

  /** Tiles searched in all frames. */
  public long tilesSearched() {
    return tilesSearched.get();
  }

  private final class Plan implements TilePlan {
    private final List<Integer> order;
    private final int sweepShare;
    private final long start;
    private final int count;
    private int next;
    private boolean finished;

    Plan(List<Integer> order, int sweepShare, long start, int count) {
      this.order = order;
      this.sweepShare = sweepShare;
      this.start = start;
      this.count = count;
    }

    @Override
    public int next() {
      if (finished) {
        return DONE;
      }
      if (next == order.size()
          || (budgetNanos > 0 && nanoClock.getAsLong() - start >= budgetNanos)) {
        finished = true;
        if (next < sweepShare) {
          cutShort.incrementAndGet();
        }
        return DONE;
      }
      if (next < sweepShare) {
        cursor = (cursor + 1) % count;
      }
      tilesSearched.incrementAndGet();
      return order.get(next++);
    }
  }
}
