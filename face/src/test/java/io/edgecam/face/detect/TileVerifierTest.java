package io.edgecam.face.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgecam.face.image.Frame;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TileVerifierTest {
  private static final Frame FRAME = Frame.allocate(1000, 800);

  private static Detection box(float x, float y, float size, float score) {
    return new Detection(x, y, size, size, score, new float[12]);
  }

  /** A box the fake detector reports in regions fully holding it, of a side within [min, max]. */
  private record Seen(Detection box, float minRegion, float maxRegion) {}

  /** Reports each {@link Seen} box whose visibility rule the region meets. */
  private static RegionDetector fake(List<Seen> seen, List<float[]> calls) {
    return (frame, x, y, w, h) -> {
      calls.add(new float[] {x, y, w, h});
      List<Detection> out = new ArrayList<>();
      for (Seen s : seen) {
        Detection d = s.box();
        float side = Math.max(w, h);
        if (d.x() >= x
            && d.y() >= y
            && d.x() + d.width() <= x + w
            && d.y() + d.height() <= y + h
            && side >= s.minRegion()
            && side <= s.maxRegion()) {
          out.add(d);
        }
      }
      return out;
    };
  }

  /** The verifier on the boxes a 500 px tile shows, with {@code seen} as the detector. */
  private static List<Detection> search(List<Detection> primary, List<Seen> seen) {
    List<Detection> tileBoxes = new ArrayList<>();
    for (Seen s : seen) {
      if (s.minRegion() <= 500) {
        tileBoxes.add(s.box());
      }
    }
    return TileVerifier.verify(FRAME, primary, tileBoxes, fake(seen, new ArrayList<>()));
  }

  /** Boxes as printed (0.1 px): a merged box is a weighted mean, equal only up to rounding. */
  private static List<String> boxes(List<Detection> ds) {
    return ds.stream().map(Detection::toString).toList();
  }

  @Test
  void tileFaceThatVerifiesIsAddedAndTextureThatDoesNotIsDropped() {
    Detection small = box(100, 100, 60, 0.9f);
    Detection texture = box(700, 500, 60, 0.7f);
    List<Detection> found =
        search(List.of(), List.of(new Seen(small, 0, 2000), new Seen(texture, 300, 2000)));
    assertThat(boxes(found)).isEqualTo(boxes(List.of(small)));
  }

  @Test
  void primaryBoxStandsAndOverlappingTileBoxesAreDropped() {
    Detection primary = box(400, 300, 200, 0.95f);
    Detection tileView = box(410, 305, 190, 0.99f);
    List<Detection> found =
        search(List.of(primary), List.of(new Seen(primary, 0, 2000), new Seen(tileView, 0, 2000)));
    assertThat(boxes(found)).isEqualTo(boxes(List.of(primary)));
  }

  @Test
  void primaryAtTheWrongScaleIsReplacedByTheVerifiedFaceItHolds() {
    Detection wrongScale = box(100, 100, 270, 0.68f);
    Detection face = box(180, 200, 90, 0.94f);
    Detection other = box(700, 100, 200, 0.9f);
    List<Detection> found =
        search(
            List.of(other, wrongScale), List.of(new Seen(face, 0, 1000), new Seen(other, 0, 2000)));
    assertThat(boxes(found)).isEqualTo(boxes(List.of(face, other)));
  }

  @Test
  void primaryHoldingAFaceButVerifyingItselfStays() {
    Detection big = box(100, 100, 400, 0.9f);
    Detection inner = box(250, 250, 60, 0.8f);
    List<Detection> found =
        search(List.of(big), List.of(new Seen(big, 0, 2000), new Seen(inner, 0, 2000)));
    assertThat(boxes(found)).isEqualTo(boxes(List.of(big, inner)));
  }

  @Test
  void holdsNeedsMostOfASmallerBoxInside() {
    Detection outer = box(0, 0, 100, 0.5f);
    assertThat(TileVerifier.holdsAny(outer, List.of(box(10, 10, 20, 0.9f)))).isTrue();
    assertThat(TileVerifier.holdsAny(outer, List.of(box(90, 90, 20, 0.9f)))).isFalse();
    assertThat(TileVerifier.holdsAny(outer, List.of(box(0, 0, 100, 0.9f)))).isFalse();
  }
}
