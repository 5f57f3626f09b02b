package io.edgecam.agent.update;

import io.edgecam.agent.service.FaceAnalyzer;
import io.edgecam.agent.service.FacePipelineAnalyzer;
import io.edgecam.face.pipeline.FacePipeline;

/**
 * Makes the analyzer the agent runs from a loaded pipeline. Production: {@link
 * FacePipelineAnalyzer#of}; tests wrap it (e.g. to make inference fail during a probation).
 */
@FunctionalInterface
interface AnalyzerFactory {
  AnalyzerFactory DEFAULT = FacePipelineAnalyzer::of;

  /** An analyzer owning {@code pipeline}. */
  FaceAnalyzer create(FacePipeline pipeline);
}
