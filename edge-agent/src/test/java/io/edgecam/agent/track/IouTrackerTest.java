package io.edgecam.agent.track;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgecam.agent.config.TrackerConfig;
import io.edgecam.protocol.Box;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IouTrackerTest {
  private static final float[] EMBEDDING = new float[] {1f, 0f};

  private final IouTracker tracker = new IouTracker(new TrackerConfig(0.3, 1000, 500));

  private static Face face(int x, int y, float quality) {
    return new Face(new Box(x, y, 100, 100), 0.9f, quality, EMBEDDING);
  }

  @Test
  void firstFaceOfANewTrackIsEmittedAtOnce() {
    List<BestShot> shots = tracker.update(0, List.of(face(10, 10, 0.5f)));

    assertThat(shots)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.trackId()).isEqualTo(1);
              assertThat(s.captureTimeMillis()).isZero();
            });
  }

  @Test
  void movingFaceKeepsItsTrackAndEmitsAtMostOncePerInterval() {
    List<BestShot> all = new ArrayList<>();
    for (int t = 0; t <= 3000; t += 100) {
      all.addAll(tracker.update(t, List.of(face(10 + t / 50, 10, 0.5f))));
    }

    assertThat(all).extracting(BestShot::trackId).containsOnly(1);
    assertThat(all).extracting(BestShot::captureTimeMillis).containsExactly(0L, 100L, 1100L, 2100L);
  }

  @Test
  void bestQualityFaceOfTheIntervalIsChosen() {
    tracker.update(0, List.of(face(10, 10, 0.5f)));
    tracker.update(300, List.of(face(12, 10, 0.9f)));
    tracker.update(600, List.of(face(14, 10, 0.4f)));

    List<BestShot> shots = tracker.update(1000, List.of(face(16, 10, 0.3f)));

    assertThat(shots)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.face().quality()).isEqualTo(0.9f);
              assertThat(s.captureTimeMillis()).isEqualTo(300);
            });
  }

  @Test
  void separateFacesGetSeparateTracks() {
    List<BestShot> shots = tracker.update(0, List.of(face(0, 0, 0.5f), face(400, 0, 0.5f)));

    assertThat(shots).extracting(BestShot::trackId).containsExactly(1, 2);
    assertThat(tracker.activeTracks()).isEqualTo(2);
  }

  @Test
  void trackExpiresAndEmitsItsPendingBetterShot() {
    tracker.update(0, List.of(face(10, 10, 0.5f)));
    tracker.update(100, List.of(face(10, 10, 0.8f)));

    List<BestShot> shots = tracker.update(700, List.of());

    assertThat(shots)
        .singleElement()
        .satisfies(s -> assertThat(s.face().quality()).isEqualTo(0.8f));
    assertThat(tracker.activeTracks()).isZero();
  }

  @Test
  void expiringTrackDropsAPendingShotNoBetterThanWhatWasSent() {
    tracker.update(0, List.of(face(10, 10, 0.8f)));
    tracker.update(100, List.of(face(10, 10, 0.6f)));

    assertThat(tracker.update(700, List.of())).isEmpty();
  }

  @Test
  void faceReturningAfterExpiryStartsANewTrack() {
    tracker.update(0, List.of(face(10, 10, 0.5f)));

    List<BestShot> shots = tracker.update(2000, List.of(face(10, 10, 0.5f)));

    assertThat(shots).singleElement().satisfies(s -> assertThat(s.trackId()).isEqualTo(2));
  }

  @Test
  void facesWithoutEmbeddingAreTrackedButNeverEmitted() {
    Face rejected = new Face(new Box(10, 10, 100, 100), 0.9f, 0.1f, null);

    assertThat(tracker.update(0, List.of(rejected))).isEmpty();
    assertThat(tracker.activeTracks()).isEqualTo(1);
    assertThat(tracker.update(100, List.of(face(10, 10, 0.5f))))
        .singleElement()
        .satisfies(s -> assertThat(s.trackId()).isEqualTo(1));
  }

  @Test
  void flushEndsEveryTrack() {
    tracker.update(0, List.of(face(10, 10, 0.5f)));
    tracker.update(100, List.of(face(10, 10, 0.9f)));

    assertThat(tracker.flush()).hasSize(1);
    assertThat(tracker.activeTracks()).isZero();
  }

  @Test
  void iouOfBoxes() {
    assertThat(IouTracker.iou(new Box(0, 0, 10, 10), new Box(0, 0, 10, 10))).isEqualTo(1.0);
    assertThat(IouTracker.iou(new Box(0, 0, 10, 10), new Box(5, 0, 10, 10))).isEqualTo(50.0 / 150);
    assertThat(IouTracker.iou(new Box(0, 0, 10, 10), new Box(20, 20, 10, 10))).isZero();
  }
}
