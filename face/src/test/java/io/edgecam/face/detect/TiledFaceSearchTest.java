package io.edgecam.face.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgecam.face.image.Frame;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TiledFaceSearchTest {
  private static final Frame FRAME = Frame.allocate(1920, 1080);

  private static Detection box(float x, float y, float size, float score) {
    return new Detection(x, y, size, size, score, new float[12]);
  }

  /**
   * A detector that sees {@code faces} the way BlazeFace does: in a region whose side is at most
   * {@code size / fraction}, and clipped to the region (a face cut by the region's edge gives a box
   * of the part inside).
   */
  private static RegionDetector seeing(List<Detection> faces, float fraction, List<float[]> calls) {
    return (frame, x, y, w, h) -> {
      calls.add(new float[] {x, y, w, h});
      List<Detection> out = new ArrayList<>();
      for (Detection f : faces) {
        if (Math.max(w, h) * fraction > f.width()) {
          continue;
        }
        float x0 = Math.max(x, f.x());
        float y0 = Math.max(y, f.y());
        float x1 = Math.min(x + w, f.x() + f.width());
        float y1 = Math.min(y + h, f.y() + f.height());
        if (x1 - x0 > f.width() / 3 && y1 - y0 > f.height() / 3) {
          out.add(new Detection(x0, y0, x1 - x0, y1 - y0, f.score(), new float[12]));
        }
      }
      return out;
    };
  }

  /** Every tile, without verification: the camera path. */
  private static final TileScheduler ALL =
      new TileScheduler() {
        @Override
        public TilePlan plan(Frame frame, TileGrid grid) {
          return TileScheduler.everyTile().plan(frame, grid);
        }

        @Override
        public boolean verifyTileFaces() {
          return false;
        }
      };

  private static TiledFaceSearch search(RegionDetector d) {
    return new TiledFaceSearch(f -> d.detect(f, 0, 0, f.width(), f.height()), d, 28, 0.0625f);
  }

  @Test
  void faceOnATileBorderIsReportedOnce() {
    TileGrid g = TileGrid.plan(1920, 1080, 28, 0.0625f);
    TileGrid.Tile first = g.tile(0);
    TileGrid.Tile second = g.tile(1);
    // centred on the right edge of tile 0, inside tile 1 (which starts overlap px earlier)
    float right = first.x() + first.width();
    Detection face = box(right - 20, 200, 40, 0.9f);
    assertThat(face.x()).isGreaterThan(second.x());
    List<float[]> calls = new ArrayList<>();
    List<Detection> found = search(seeing(List.of(face), 0.0625f, calls)).search(FRAME, ALL);
    assertThat(found).hasSize(1);
    assertThat(found.get(0).iou(face)).isGreaterThan(0.95f);
    assertThat(calls).hasSize(1 + g.count()); // the whole frame and each tile once
  }

  @Test
  void faceSeenByTheWholeFrameAndATileIsReportedOnce() {
    Detection face = box(500, 300, 130, 0.8f);
    List<Detection> found =
        search(seeing(List.of(face), 0.0625f, new ArrayList<>())).search(FRAME, ALL);
    assertThat(found).hasSize(1);
  }

  @Test
  void smallFacesEverywhereAreFoundOnlyByTheTiles() {
    List<Detection> faces = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      faces.add(box(37 + 151 * i, 41 + 83 * i, 28, 0.7f));
    }
    List<float[]> calls = new ArrayList<>();
    TiledFaceSearch s = search(seeing(faces, 0.0625f, calls));
    assertThat(s.search(FRAME, (frame, grid) -> () -> TilePlan.DONE)).isEmpty();
    List<Detection> found = s.search(FRAME, ALL);
    assertThat(found).hasSize(12);
    assertThat(s.lastTilesSearched()).isEqualTo(s.grid(FRAME).count());
  }

  @Test
  void schedulerSeesWhatWasFound() {
    Detection face = box(700, 700, 40, 0.9f);
    List<Detection> seen = new ArrayList<>();
    TileScheduler scheduler =
        new TileScheduler() {
          @Override
          public TilePlan plan(Frame frame, TileGrid grid) {
            return ALL.plan(frame, grid);
          }

          @Override
          public boolean verifyTileFaces() {
            return false;
          }

          @Override
          public void found(List<Detection> faces) {
            seen.addAll(faces);
          }
        };
    search(seeing(List.of(face), 0.0625f, new ArrayList<>())).search(FRAME, scheduler);
    assertThat(seen).hasSize(1);
  }

  @Test
  void stillPhotoSearchKeepsTileFacesThatVerifyAndDropsTexture() {
    Detection face = box(300, 300, 30, 0.9f);
    Detection texture = box(1200, 600, 30, 0.7f);
    // texture shows only in regions of 400-1000 px: in a tile, not in the verification crop nor
    // in the whole frame
    RegionDetector d =
        (frame, x, y, w, h) -> {
          List<Detection> out = new ArrayList<>();
          for (Detection f : List.of(face, texture)) {
            boolean inside =
                f.x() >= x
                    && f.y() >= y
                    && f.x() + f.width() <= x + w
                    && f.y() + f.height() <= y + h;
            float side = Math.max(w, h);
            boolean visible = f == face ? side <= 480 : side >= 400 && side <= 1000;
            if (inside && visible) {
              out.add(f);
            }
          }
          return out;
        };
    List<Detection> found = search(d).search(FRAME, TileScheduler.everyTile());
    assertThat(found).containsExactly(face);
  }

  @Test
  void followedFaceIsFoundInItsCropWithoutAnyTile() {
    Detection face = box(903, 611, 28, 0.8f);
    List<float[]> calls = new ArrayList<>();
    TileScheduler followOnly =
        new TileScheduler() {
          @Override
          public TilePlan plan(Frame frame, TileGrid grid) {
            return () -> TilePlan.DONE;
          }

          @Override
          public boolean verifyTileFaces() {
            return false;
          }

          @Override
          public List<Detection> follow() {
            return List.of(box(900, 600, 30, 0.8f));
          }
        };
    List<Detection> found = search(seeing(List.of(face), 0.0625f, calls)).search(FRAME, followOnly);
    assertThat(found).hasSize(1);
    assertThat(found.get(0).iou(face)).isGreaterThan(0.99f);
    // the whole frame, then one crop of 4x the followed box around it
    assertThat(calls).hasSize(2);
    assertThat(calls.get(1)[2]).isEqualTo(TiledFaceSearch.FOLLOW_CROP * 30);
  }
}
