package io.edgecam.ctl.eval;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * FNMR at a target FMR.
 *
 * @param targetFmr the FMR asked for, e.g. 1e-3
 * @param supported whether the impostor pairs support it ({@code >= 1/targetFmr}); the other
 *     figures are null otherwise
 * @param threshold the lowest threshold whose FMR is at most the target
 * @param fmr the FMR there (at most the target)
 * @param fmrUpper95 its 95% Clopper-Pearson upper bound: the FMR the data can guarantee
 * @param fnmr genuine pairs below the threshold
 * @param note why it is not supported
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FnmrAtFmr(
    @JsonProperty("target_fmr") double targetFmr,
    boolean supported,
    @Nullable Double threshold,
    @Nullable Double fmr,
    @JsonProperty("fmr_upper95") @Nullable Double fmrUpper95,
    @Nullable Double fnmr,
    @Nullable String note) {

  static FnmrAtFmr unsupported(double targetFmr, int impostorPairs) {
    return new FnmrAtFmr(
        targetFmr,
        false,
        null,
        null,
        null,
        null,
        "not supported: " + impostorPairs + " impostor pairs (needs " + needed(targetFmr) + ")");
  }

  private static long needed(double rate) {
    return (long) Math.ceil(1 / rate - 1e-9);
  }
}
