package io.edgecam.agent.update;

import io.edgecam.agent.config.FacePipelineConfig;
import io.edgecam.agent.service.FaceAnalyzer;
import io.edgecam.agent.service.FacePipelineAnalyzer;
import io.edgecam.face.pipeline.FacePipeline;

/**
 * Makes the analyzer the agent runs from a loaded pipeline. Production: {@link #of} (the agent's
 * sweep settings); tests wrap {@link #DEFAULT} (e.g. to make inference fail during a probation).
 */
@FunctionalInterface
interface AnalyzerFactory {
  AnalyzerFactory DEFAULT = FacePipelineAnalyzer::of;

  /** Production: analyzers with the sweep settings of {@code config} (tiled detectors). */
  static AnalyzerFactory of(FacePipelineConfig config) {
    return pipeline -> FacePipelineAnalyzer.of(pipeline, config);
  }

  /** An analyzer owning {@code pipeline}. */
  FaceAnalyzer create(FacePipeline pipeline);
}
