package io.edgecam.agent.service;

import io.edgecam.agent.track.Face;
import io.edgecam.face.image.Frame;
import io.edgecam.protocol.Health;
import java.util.List;
import java.util.Map;

/**
 * The face pipeline as the agent service sees it: frame in, faces out. {@link FacePipelineAnalyzer}
 * runs the TFLite pipeline; tests use a fake. Called from the pipeline thread only.
 */
public interface FaceAnalyzer extends AutoCloseable {

  /** Faces in {@code frame}; those that fail the quality gate have no embedding. */
  List<Face> analyze(Frame frame);

  /** Embedder model tag ({@code name@version}) written into every candidate. */
  String modelTag();

  /** Model versions for the status message, e.g. {@code detector -> blazeface-short-range}. */
  Map<String, String> versions();

  /**
   * The analyzer's own monotonic counters for the status message (e.g. {@code faces_too_small});
   * read from the status thread, so thread-safe. Empty by default.
   */
  default Map<String, Long> counters() {
    return Map.of();
  }

  /** Health of the models. */
  Health health();

  @Override
  void close();
}
