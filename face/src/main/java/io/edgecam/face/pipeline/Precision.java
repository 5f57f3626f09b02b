package io.edgecam.face.pipeline;

/** Numeric precision of the models a pipeline runs. */
public enum Precision {
  /** Measure both at start, keep the faster variant whose outputs agree with float. */
  AUTO,
  /** Full-integer quantized models ({@code <name>-int8}). */
  INT8,
  /** Float models. */
  FLOAT
}
