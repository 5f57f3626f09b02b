package io.edgecam.matcher.index;

/**
 * The best watchlist entry for a candidate whose similarity reached the entry's threshold.
 *
 * @param entryId watchlist entry id
 * @param label watchlist entry label
 * @param score cosine similarity of the candidate to the entry's closest embedding
 * @param threshold the threshold that was applied (the entry's own or the global one)
 */
public record Match(String entryId, String label, double score, double threshold) {}
