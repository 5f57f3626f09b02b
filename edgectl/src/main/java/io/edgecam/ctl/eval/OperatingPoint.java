package io.edgecam.ctl.eval;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * The threshold that holds a list of {@code listSize} entries to a target FPIR, and the FNIR there.
 *
 * @param listSize N
 * @param targetFpir e.g. 0.01
 * @param threshold the lowest threshold at which both FPIR estimates are at most the target
 * @param fpirSimulated simulated FPIR there
 * @param fpirFromFmr {@code 1 - (1 - FMR)^N} there
 * @param fnir genuine (mate) scores below the threshold
 * @param supported whether the data supports this point (enough impostor pairs for FMR ~ FPIR/N,
 *     and at least N distinct entries per stranger)
 * @param note why not
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OperatingPoint(
    @JsonProperty("list_size") int listSize,
    @JsonProperty("target_fpir") double targetFpir,
    double threshold,
    @JsonProperty("fpir_simulated") double fpirSimulated,
    @JsonProperty("fpir_from_fmr") double fpirFromFmr,
    double fnir,
    boolean supported,
    @Nullable String note) {}
