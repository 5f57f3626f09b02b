package io.edgecam.agent.pipeline;

/** Which BlazeFace model detects faces. */
public enum DetectorKind {
  /** 128x128 short-range model: faces within ~2 m, the fast default. */
  SHORT("blazeface-short-range"),
  /** 192x192 full-range sparse model: small faces at CCTV distance. */
  FULL("blazeface-full-range");

  private final String modelName;

  DetectorKind(String modelName) {
    this.modelName = modelName;
  }

  /** The float model's manifest name. */
  public String modelName() {
    return modelName;
  }
}
