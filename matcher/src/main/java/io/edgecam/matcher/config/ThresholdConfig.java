package io.edgecam.matcher.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * Match decision thresholds.
 *
 * @param global cosine similarity at or above which a candidate matches an entry that has no
 *     threshold of its own; in (0, 1]
 */
public record ThresholdConfig(double global) {
  /** Chosen from the measured genuine (~0.77) and impostor (~0.03) cosine distributions. */
  public static final double DEFAULT_GLOBAL = 0.45;

  /** Binds the YAML form, filling defaults for missing keys. */
  @JsonCreator
  public ThresholdConfig(@JsonProperty("global") @Nullable Double global) {
    this(global == null ? DEFAULT_GLOBAL : global.doubleValue());
  }

  public ThresholdConfig {
    requireThreshold("thresholds.global", global);
  }

  public static ThresholdConfig defaults() {
    return new ThresholdConfig(DEFAULT_GLOBAL);
  }

  /** Checks that {@code value} is a usable cosine threshold, naming {@code key} otherwise. */
  public static double requireThreshold(String key, double value) {
    if (!(value > 0.0 && value <= 1.0)) {
      throw new IllegalArgumentException(key + " must be in (0, 1], was " + value);
    }
    return value;
  }
}
