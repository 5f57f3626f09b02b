package io.edgecam.matcher.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.edgecam.face.inference.ModelStore;
import io.edgecam.matcher.calibration.Calibration;
import io.edgecam.matcher.calibration.ThresholdPolicy;
import io.edgecam.protocol.EdgecamException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * The match decision's operating point (docs/matcher.md, "Operating point").
 *
 * @param global a fixed cosine threshold in (0, 1], or null (default) to calibrate the threshold to
 *     the list size from {@code targetFalseAlarmRate}
 * @param targetFalseAlarmRate expected false alarms per stranger the threshold keeps to, in (0, 1);
 *     a fixed {@code global} above it is refused at start unless {@code allowHighFalseAlarms}
 * @param allowHighFalseAlarms start with a fixed {@code global} even when its expected false alarms
 *     exceed the target (a WARN at start and in the status)
 * @param calibration model manifest whose {@code calibration} object describes the embedder, or
 *     null for {@value #DEFAULT_CALIBRATION}{@code .json} in the models directory
 */
public record ThresholdConfig(
    @Nullable Double global,
    double targetFalseAlarmRate,
    boolean allowHighFalseAlarms,
    @Nullable Path calibration) {
  /** Expected false alarms per stranger: one in a hundred. */
  public static final double DEFAULT_TARGET = 0.01;

  /** The shipped embedder whose calibration applies by default. */
  public static final String DEFAULT_CALIBRATION = "mobilefacenet";

  /**
   * The global threshold of tools that do not match (enrollment, purge): the start of the grid
   * region where the shipped calibration's impostor tail thins out. The matcher computes its own.
   */
  public static final double DEFAULT_GLOBAL = 0.45;

  /** Binds the YAML form, filling defaults for missing keys. */
  @JsonCreator
  public static ThresholdConfig fromYaml(
      @JsonProperty("global") @Nullable Double global,
      @JsonProperty("targetFalseAlarmRate") @Nullable Double targetFalseAlarmRate,
      @JsonProperty("allowHighFalseAlarms") @Nullable Boolean allowHighFalseAlarms,
      @JsonProperty("calibration") @Nullable Path calibration) {
    return new ThresholdConfig(
        global,
        targetFalseAlarmRate == null ? DEFAULT_TARGET : targetFalseAlarmRate,
        allowHighFalseAlarms != null && allowHighFalseAlarms,
        calibration);
  }

  public ThresholdConfig {
    if (global != null) {
      requireThreshold("thresholds.global", global);
    }
    if (!(targetFalseAlarmRate > 0 && targetFalseAlarmRate < 1)) {
      throw new IllegalArgumentException(
          "thresholds.targetFalseAlarmRate must be in (0, 1), was " + targetFalseAlarmRate);
    }
  }

  /** Calibrated to the default target with the shipped calibration. */
  public static ThresholdConfig defaults() {
    return new ThresholdConfig(null, DEFAULT_TARGET, false, null);
  }

  /** A fixed threshold; {@code allowHigh} starts it even above the target. */
  public static ThresholdConfig fixed(double global, boolean allowHigh) {
    return new ThresholdConfig(global, DEFAULT_TARGET, allowHigh, null);
  }

  /** This configuration with relative paths resolved against {@code base}. */
  ThresholdConfig resolve(Path base) {
    return calibration == null
        ? this
        : new ThresholdConfig(
            global, targetFalseAlarmRate, allowHighFalseAlarms, base.resolve(calibration));
  }

  /** The manifest the calibration is read from. */
  public Path calibrationManifest() {
    return calibration != null
        ? calibration
        : ModelStore.locate().dir().resolve(DEFAULT_CALIBRATION + ".json");
  }

  /**
   * Reads the calibration and returns the policy.
   *
   * @throws ConfigException naming {@code thresholds.calibration} if the manifest or its
   *     calibration cannot be used
   */
  public ThresholdPolicy policy() {
    Calibration c;
    try {
      c = Calibration.read(calibrationManifest());
    } catch (EdgecamException e) {
      throw new ConfigException("thresholds.calibration: " + e.getMessage(), e);
    }
    return new ThresholdPolicy(c, targetFalseAlarmRate, global);
  }

  /** Checks that {@code value} is a usable cosine threshold, naming {@code key} otherwise. */
  public static double requireThreshold(String key, double value) {
    if (!(value > 0.0 && value <= 1.0)) {
      throw new IllegalArgumentException(key + " must be in (0, 1], was " + value);
    }
    return value;
  }
}
