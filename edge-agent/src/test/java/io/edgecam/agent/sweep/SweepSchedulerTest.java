package io.edgecam.agent.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgecam.face.detect.Detection;
import io.edgecam.face.detect.TileGrid;
import io.edgecam.face.detect.TilePlan;
import io.edgecam.face.image.Frame;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SweepSchedulerTest {
  private static final TileGrid GRID = TileGrid.plan(1920, 1080, 28, 0.0625f);
  private final long[] now = {0};
  private final Frame still = Frame.allocate(1920, 1080);

  private static List<Integer> drain(TilePlan plan) {
    List<Integer> tiles = new ArrayList<>();
    for (int t = plan.next(); t != TilePlan.DONE; t = plan.next()) {
      tiles.add(t);
    }
    return tiles;
  }

  private static Detection face(float x, float y, float size) {
    return new Detection(x, y, size, size, 0.9f, new float[12]);
  }

  @Test
  void everyTileIsVisitedWithinSweepFrames() {
    for (int k : new int[] {1, 2, 3, 5, 64}) {
      SweepScheduler s = new SweepScheduler(k, 0, () -> now[0]);
      int[] lastSeen = new int[GRID.count()];
      Arrays.fill(lastSeen, -1);
      for (int frame = 0; frame < 4 * k + 3; frame++) {
        for (int t : drain(s.plan(still, GRID))) {
          assertThat(frame - lastSeen[t]).as("k=%d tile %d", k, t).isLessThanOrEqualTo(k);
          lastSeen[t] = frame;
        }
        s.found(List.of());
        for (int t = 0; t < GRID.count(); t++) {
          assertThat(frame - lastSeen[t]).as("k=%d tile %d unseen", k, t).isLessThan(k);
        }
      }
      assertThat(s.framesCutShort()).isZero();
    }
  }

  @Test
  void onlyTheSweepShareIsSearchedInAStillFrameWithoutFaces() {
    SweepScheduler s = new SweepScheduler(4, 0, () -> now[0]);
    assertThat(drain(s.plan(still, GRID))).hasSize((GRID.count() + 3) / 4);
  }

  @Test
  void facesFoundAreFollowedInTheNextFrameWithoutExtraTiles() {
    SweepScheduler s = new SweepScheduler(8, 0, () -> now[0]);
    drain(s.plan(still, GRID));
    Detection f = face(1500, 800, 40);
    for (int frame = 0; frame < 10; frame++) {
      s.found(List.of(f));
      List<Integer> tiles = drain(s.plan(still, GRID));
      assertThat(s.follow()).containsExactly(f);
      assertThat(tiles).hasSize((GRID.count() + 7) / 8);
    }
    s.found(List.of());
    assertThat(s.follow()).isEmpty();
  }

  @Test
  void tilesWithMotionAreSearchedBeforeTheSweepReachesThem() {
    SweepScheduler s = new SweepScheduler(16, 0, () -> now[0]);
    drain(s.plan(still, GRID)); // primes the motion grid
    Frame moved = Frame.allocate(1920, 1080);
    // a bright 200x200 block appears at the bottom right corner
    for (int y = 850; y < 1050; y++) {
      for (int x = 1700; x < 1900; x++) {
        Arrays.fill(moved.rgb(), 3 * (y * 1920 + x), 3 * (y * 1920 + x) + 3, (byte) 200);
      }
    }
    int corner = GRID.count() - 1;
    List<Integer> tiles = drain(s.plan(moved, GRID));
    assertThat(tiles).contains(corner);
    assertThat(tiles.size()).isLessThan(GRID.count() / 2);
    // no further change: no motion
    assertThat(drain(s.plan(moved, GRID))).doesNotContain(corner);
  }

  @Test
  void budgetStopsTheFrameAndCountsTheCutSweep() {
    SweepScheduler s = new SweepScheduler(1, 10, () -> now[0]);
    TilePlan plan = s.plan(still, GRID);
    now[0] += 4_000_000; // whole-frame pass: 4 ms
    List<Integer> tiles = new ArrayList<>();
    for (int t = plan.next(); t != TilePlan.DONE; t = plan.next()) {
      tiles.add(t);
      now[0] += 2_000_000; // each tile: 2 ms
    }
    // 4 + 3 x 2 = 10 ms: the fourth tile is not started
    assertThat(tiles).containsExactly(0, 1, 2);
    assertThat(s.framesCutShort()).isEqualTo(1);
    // the sweep resumes where it stopped
    TilePlan next = s.plan(still, GRID);
    assertThat(next.next()).isEqualTo(3);
  }

  @Test
  void frameWithinTheBudgetIsNotCounted() {
    SweepScheduler s = new SweepScheduler(GRID.count(), 10, () -> now[0]);
    TilePlan plan = s.plan(still, GRID);
    now[0] += 9_000_000;
    assertThat(drain(plan)).hasSize(1);
    assertThat(s.framesCutShort()).isZero();
    assertThat(s.tilesSearched()).isEqualTo(1);
  }
}
