package io.edgecam.agent.update;

import java.util.Locale;

/** The stages of a model update, in order (docs/updates.md, "Model OTA"). */
public enum UpdateStage {
  /** The target is being downloaded into staging (checked against its length and sha256). */
  DOWNLOAD,
  /** Manifest and tensors are compared with what the pipeline expects; files installed. */
  VERIFY,
  /** A separate pipeline with the new model runs the golden image. */
  SELFTEST,
  /** The slot's state file is replaced by rename and the running analyzer swapped. */
  SWAP;

  /** The lowercase name used in {@code EDGECAM_UPDATE_PAUSE_AT} and logs. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
