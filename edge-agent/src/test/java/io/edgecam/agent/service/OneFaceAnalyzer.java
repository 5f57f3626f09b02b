package io.edgecam.agent.service;

import io.edgecam.agent.track.Face;
import io.edgecam.face.image.Frame;
import io.edgecam.protocol.Box;
import io.edgecam.protocol.Health;
import java.util.List;
import java.util.Map;

/**
 * A stand-in for the TFLite analyzer in transport tests: one face per frame at a fixed place (one
 * track; a best-shot interval of 0 makes every frame a candidate), always the same embedding.
 */
public final class OneFaceAnalyzer implements FaceAnalyzer {
  public static final String MODEL = "fake@1";

  /** The face's unit embedding (192-d: 0.6, 0.8, then zeros). */
  public static float[] embedding() {
    float[] e = new float[192];
    e[0] = 0.6f;
    e[1] = 0.8f;
    return e;
  }

  @Override
  public List<Face> analyze(Frame frame) {
    return List.of(new Face(new Box(10, 10, 40, 40), 0.9f, 0.7f, embedding()));
  }

  @Override
  public String modelTag() {
    return MODEL;
  }

  @Override
  public Map<String, String> versions() {
    return Map.of("detector", "fake");
  }

  @Override
  public Health health() {
    return Health.ok();
  }

  @Override
  public void close() {}
}
