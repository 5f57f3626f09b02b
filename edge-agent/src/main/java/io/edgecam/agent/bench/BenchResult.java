package io.edgecam.agent.bench;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Per-frame figures of one pipeline variant over the same frames, mean milliseconds.
 *
 * @param precision float or int8
 * @param detector detector model name
 * @param frames distinct frames
 * @param iterations frames processed (after warm-up)
 * @param facesPerFrame mean faces embedded per frame
 * @param detectorInvokeMs raw detector {@code Invoke()} per frame
 * @param embedderInvokeMs raw embedder {@code Invoke()} per frame
 * @param rawInvokeMs sum of the two
 * @param pipelineMs full {@code process(frame)}, decode excluded
 * @param pipelineWithDecodeMs JPEG decode + {@code process(frame)}
 * @param fps frames/s, decode excluded
 * @param fpsWithDecode frames/s, decode included
 * @param overheadRatio pipelineMs / rawInvokeMs (target <= 1.10)
 */
public record BenchResult(
    String precision,
    String detector,
    int frames,
    int iterations,
    @JsonProperty("faces_per_frame") double facesPerFrame,
    @JsonProperty("detector_invoke_ms") double detectorInvokeMs,
    @JsonProperty("embedder_invoke_ms") double embedderInvokeMs,
    @JsonProperty("raw_invoke_ms") double rawInvokeMs,
    @JsonProperty("pipeline_ms") double pipelineMs,
    @JsonProperty("pipeline_with_decode_ms") double pipelineWithDecodeMs,
    double fps,
    @JsonProperty("fps_with_decode") double fpsWithDecode,
    @JsonProperty("overhead_ratio") double overheadRatio) {}
