package io.edgecam.agent.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgecam.agent.service.FaceAnalyzer;
import io.edgecam.agent.track.Face;
import io.edgecam.face.image.Frame;
import io.edgecam.face.inference.InferenceException;
import io.edgecam.protocol.Box;
import io.edgecam.protocol.Health;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The swap and probation mechanics, with analyzers that say which model answered. */
class SwappableAnalyzerTest {
  private final Frame frame = Frame.allocate(16, 16);
  private final List<String> failures = new ArrayList<>();
  private final SwappableAnalyzer.ProbationListener listener =
      (id, reason, previousRunning) -> failures.add(id + ":" + reason + ":" + previousRunning);

  @Test
  void installWithoutProbationClosesTheOldAnalyzerAndRunsTheNewOne() {
    Model v1 = new Model("v1");
    Model v2 = new Model("v2");
    SwappableAnalyzer a = new SwappableAnalyzer(v1, listener);

    assertThat(a.install(v2, Duration.ZERO)).isZero();

    assertThat(v1.closed).isTrue();
    assertThat(quality(a.analyze(frame))).isEqualTo(0.2f);
    assertThat(a.modelTag()).isEqualTo("v2");
  }

  @Test
  void failureInProbationHandsTheSameFrameToThePreviousAnalyzer() {
    Model v1 = new Model("v1");
    Model v2 = new Model("v2");
    SwappableAnalyzer a = new SwappableAnalyzer(v1, listener);
    long id = a.install(v2, Duration.ofMinutes(10));
    assertThat(v1.closed).isFalse(); // kept loaded for the probation

    v2.fail = true;
    List<Face> faces = a.analyze(frame);

    assertThat(quality(faces)).isEqualTo(0.1f); // v1 answered this very frame
    assertThat(v2.closed).isTrue();
    assertThat(failures).containsExactly(id + ":inference failed: v2 broke:true");
    assertThat(a.modelTag()).isEqualTo("v1");
  }

  @Test
  void nonFiniteEmbeddingInProbationIsAFailure() {
    Model v2 = new Model("v2");
    SwappableAnalyzer a = new SwappableAnalyzer(new Model("v1"), listener);
    a.install(v2, Duration.ofMinutes(10));
    v2.nan = true;

    assertThat(quality(a.analyze(frame))).isEqualTo(0.1f);
    assertThat(failures).singleElement().asString().contains("non-finite embedding");
  }

  @Test
  void afterProbationEndsFailuresPropagateAndThePreviousIsClosed() {
    Model v1 = new Model("v1");
    Model v2 = new Model("v2");
    SwappableAnalyzer a = new SwappableAnalyzer(v1, listener);
    long id = a.install(v2, Duration.ofMinutes(10));

    assertThat(a.endProbation(id)).isTrue();
    assertThat(a.endProbation(id)).isFalse();

    assertThat(v1.closed).isTrue();
    v2.fail = true;
    assertThatThrownBy(() -> a.analyze(frame)).isInstanceOf(InferenceException.class);
    assertThat(failures).isEmpty();
  }

  @Test
  void watchedModelWithoutPreviousStopsAnalysisUntilSomethingIsInstalled() {
    Model v2 = new Model("v2");
    SwappableAnalyzer a = new SwappableAnalyzer(v2, listener);
    long id = a.watch(Duration.ofMinutes(5));
    v2.fail = true;

    assertThat(a.analyze(frame)).isEmpty();
    assertThat(a.isRunning()).isFalse();
    assertThat(a.health().state()).isEqualTo(Health.State.FAILED);
    assertThat(failures).containsExactly(id + ":inference failed: v2 broke:false");

    a.install(new Model("v1"), Duration.ZERO);
    assertThat(quality(a.analyze(frame))).isEqualTo(0.1f);
  }

  @Test
  void closeClosesCurrentAndPrevious() {
    Model v1 = new Model("v1");
    Model v2 = new Model("v2");
    SwappableAnalyzer a = new SwappableAnalyzer(v1, listener);
    a.install(v2, Duration.ofMinutes(10));

    a.close();

    assertThat(v1.closed).isTrue();
    assertThat(v2.closed).isTrue();
  }

  private static float quality(List<Face> faces) {
    return faces.get(0).quality();
  }

  /** One face whose quality says which version produced it (v1 -> 0.1, v2 -> 0.2). */
  private static final class Model implements FaceAnalyzer {
    final String tag;
    boolean fail;
    boolean nan;
    boolean closed;

    Model(String tag) {
      this.tag = tag;
    }

    @Override
    public List<Face> analyze(Frame frame) {
      if (fail) {
        throw new InferenceException(tag + " broke");
      }
      float[] e = {nan ? Float.NaN : 1f, 0f};
      float q = tag.equals("v1") ? 0.1f : 0.2f;
      return List.of(new Face(new Box(0, 0, 4, 4), 0.9f, q, e));
    }

    @Override
    public String modelTag() {
      return tag;
    }

    @Override
    public Map<String, String> versions() {
      return Map.of("embedder", tag);
    }

    @Override
    public Health health() {
      return Health.ok();
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
