package io.edgecam.matcher.index;

/**
 * The best watchlist entry for a candidate whose similarity reached the entry's threshold.
 *
 * @param entryId watchlist entry id
 * @param label watchlist entry label
 * @param score cosine similarity of the candidate to the entry's closest embedding
 * @param threshold the threshold that was applied (the global one, or the entry's own when higher)
 * @param secondScore cosine of the best other live entry among those the index scored (every entry
 *     for exact search, the candidates of an approximate one), whether or not it reached its
 *     threshold; {@link #NO_SECOND} when there is no other entry
 * @param expectedFpir expected false alarms per stranger of the operating point that decided, or
 *     NaN when the index alone decided (the watchlist fills it in)
 */
public record Match(
    String entryId,
    String label,
    double score,
    double threshold,
    double secondScore,
    double expectedFpir) {

  /** {@link #secondScore} when no other entry was scored: the lowest cosine. */
  public static final double NO_SECOND = -1.0;

  /** Score minus the second-best entry's score (may be negative with per-entry thresholds). */
  public double margin() {
    return score - secondScore;
  }

  /** This match with the operating point's expected false alarms per stranger. */
  public Match withExpectedFpir(double fpir) {
    return new Match(entryId, label, score, threshold, secondScore, fpir);
  }
}
