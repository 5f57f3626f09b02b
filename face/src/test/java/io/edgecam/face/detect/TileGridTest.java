package io.edgecam.face.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TileGridTest {
  private static Detection box(float x, float y, float size) {
    return new Detection(x, y, size, size, 0.9f, new float[12]);
  }

  @Test
  void tileSideGivesTheSmallestFaceItsShareOfTheModelInput() {
    TileGrid g = TileGrid.plan(1920, 1080, 24, 0.0625f);
    assertThat(g.tileSize()).isEqualTo(384);
    // 24 px in a 384 px tile letterboxed into 192 px is 12 px: 6.25% of the input
    assertThat(24f / g.tileSize() * 192).isEqualTo(12f);
  }

  @Test
  void overlapHoldsEveryFaceTheWholeFramePassCannotSee() {
    TileGrid g = TileGrid.plan(1920, 1080, 24, 0.0625f);
    // The whole frame letterboxed into 192 px sees faces from 6.25% of 1920 = 120 px.
    assertThat(g.overlap()).isGreaterThanOrEqualTo(120).isLessThanOrEqualTo(g.tileSize() / 2);
  }

  @Test
  void tilesCoverTheFrameAndStayInside() {
    for (int[] size : new int[][] {{1920, 1080}, {1280, 720}, {641, 480}, {3840, 2160}}) {
      TileGrid g = TileGrid.plan(size[0], size[1], 28, 0.0625f);
      boolean[] covered = new boolean[size[0] * size[1]];
      for (int i = 0; i < g.count(); i++) {
        TileGrid.Tile t = g.tile(i);
        assertThat(t.index()).isEqualTo(i);
        assertThat(t.x()).isBetween(0, size[0] - 1);
        assertThat(t.y()).isBetween(0, size[1] - 1);
        assertThat(t.x() + t.width()).isLessThanOrEqualTo(size[0]);
        assertThat(t.y() + t.height()).isLessThanOrEqualTo(size[1]);
        for (int y = t.y(); y < t.y() + t.height(); y++) {
          for (int x = t.x(); x < t.x() + t.width(); x++) {
            covered[y * size[0] + x] = true;
          }
        }
      }
      assertThat(covered).as("%dx%d", size[0], size[1]).doesNotContain(false);
    }
  }

  @Test
  void everyFaceUpToTheOverlapLiesWhollyInSomeTile() {
    TileGrid g = TileGrid.plan(1920, 1080, 28, 0.0625f);
    int side = g.overlap();
    for (int y = 0; y + side <= 1080; y += 7) {
      for (int x = 0; x + side <= 1920; x += 7) {
        boolean inside = false;
        for (int i = 0; i < g.count() && !inside; i++) {
          TileGrid.Tile t = g.tile(i);
          inside =
              x >= t.x()
                  && y >= t.y()
                  && x + side <= t.x() + t.width()
                  && y + side <= t.y() + t.height();
        }
        assertThat(inside).as("face at %d,%d", x, y).isTrue();
      }
    }
  }

  @Test
  void smallFrameNeedsNoTiles() {
    TileGrid g = TileGrid.plan(320, 240, 28, 0.0625f);
    assertThat(g.count()).isZero();
  }

  @Test
  void oneRowWhenTheFrameIsNoTallerThanATile() {
    TileGrid g = TileGrid.plan(1280, 300, 28, 0.0625f);
    assertThat(g.rows()).isEqualTo(1);
    assertThat(g.tile(0).height()).isEqualTo(300);
  }

  @Test
  void boxCutByAnInnerEdgeIsDroppedOnlyWhenANeighbourHoldsItWhole() {
    TileGrid g = TileGrid.plan(1920, 1080, 28, 0.0625f);
    TileGrid.Tile first = g.tile(0);
    float edge = first.x() + first.width();
    assertThat(g.cutByInnerEdge(box(edge - 20, 100, 40), first)).isTrue();
    assertThat(g.cutByInnerEdge(box(edge - 60, 100, 40), first)).isFalse();
    // the frame's own border is no inner edge
    assertThat(g.cutByInnerEdge(box(-10, 100, 40), first)).isFalse();
    // a box larger than the overlap may not fit in any tile: kept, left to NMS
    assertThat(g.cutByInnerEdge(box(edge - 100, 100, g.overlap() + 1), first)).isFalse();
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(() -> TileGrid.plan(1920, 1080, 0, 0.06f))
        .hasMessageContaining("minFaceSize");
    assertThatThrownBy(() -> TileGrid.plan(1920, 1080, 28, 0f))
        .hasMessageContaining("minFaceFraction");
    assertThatThrownBy(() -> TileGrid.plan(0, 1080, 28, 0.06f)).hasMessageContaining("frame size");
  }
}
