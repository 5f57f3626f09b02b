package io.edgecam.ctl.eval;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * Verification figures on a folder of identities ({@code eval --json} prints this object).
 *
 * @param pairs genuine + impostor pairs scored
 * @param genuinePairs same-identity pairs
 * @param impostorPairs different-identity pairs (balanced to the genuine count when possible)
 * @param accuracy 10-fold cross-validated accuracy at the best threshold
 * @param auc ROC area under curve
 * @param tarAtFar true accept rate keyed by false accept rate ("1e-2", "1e-3") where the impostor
 *     count allows
 * @param threshold cosine threshold maximising accuracy on all pairs
 * @param images images read
 * @param facesMissed images in which no face was found (or that could not be decoded)
 * @param missed those files, relative to the folder
 * @param precision the precision the pipeline ran
 */
public record EvalReport(
    int pairs,
    @JsonProperty("genuine_pairs") int genuinePairs,
    @JsonProperty("impostor_pairs") int impostorPairs,
    double accuracy,
    double auc,
    @JsonProperty("tar_at_far") Map<String, Double> tarAtFar,
    double threshold,
    int images,
    @JsonProperty("faces_missed") int facesMissed,
    List<String> missed,
    String precision) {}
