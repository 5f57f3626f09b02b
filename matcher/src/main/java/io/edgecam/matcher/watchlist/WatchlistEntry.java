package io.edgecam.matcher.watchlist;

import io.edgecam.matcher.config.ThresholdConfig;
import io.edgecam.protocol.Candidate;
import io.edgecam.protocol.Int8Embedding;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A person the matcher looks for. Entries are personal data processed under a stated legal basis
 * and for a limited time: both are mandatory, and an entry stops matching at {@code expiresAt}.
 *
 * @param id stable id (what alerts and devices carry; pseudonymous)
 * @param label human-readable name, shown to operators only
 * @param embeddings one or more embeddings of the same person (e.g. one per enrollment image), all
 *     of the same dimension
 * @param model tag of the embedding space the embeddings belong to (the embedder manifest's {@code
 *     tag}, e.g. {@code mfn-1.0.24}); only candidates with the same tag are compared
 * @param legalBasis why this person may be searched for (e.g. a warrant reference); required
 * @param expiresAt the entry stops matching at this instant and is then purged; required
 * @param createdBy who enrolled the entry
 * @param createdAt when the entry was enrolled
 * @param threshold cosine threshold for this entry, or null for the global one
 * @param authorization who authorised the search and where and when the entry may match
 */
public record WatchlistEntry(
    String id,
    String label,
    List<Int8Embedding> embeddings,
    String model,
    String legalBasis,
    Instant expiresAt,
    String createdBy,
    Instant createdAt,
    @Nullable Double threshold,
    Authorization authorization) {

  /** An entry without a stated authorisation scope ({@link Authorization#NONE}). */
  public WatchlistEntry(
      String id,
      String label,
      List<Int8Embedding> embeddings,
      String model,
      String legalBasis,
      Instant expiresAt,
      String createdBy,
      Instant createdAt,
      @Nullable Double threshold) {
    this(
        id,
        label,
        embeddings,
        model,
        legalBasis,
        expiresAt,
        createdBy,
        createdAt,
        threshold,
        Authorization.NONE);
  }

  public WatchlistEntry {
    if (id == null || !id.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
      throw new IllegalArgumentException(
          "watchlist id must be 1-64 characters of [A-Za-z0-9._-], was "
              + (id == null ? "null" : "'" + id + "'"));
    }
    if (label == null || label.isBlank() || label.length() > 200) {
      throw new IllegalArgumentException("watchlist label must be 1..200 characters");
    }
    if (legalBasis == null || legalBasis.isBlank()) {
      throw new IllegalArgumentException("watchlist entry " + id + ": legal basis is required");
    }
    if (expiresAt == null) {
      throw new IllegalArgumentException("watchlist entry " + id + ": expiry is required");
    }
    if (embeddings == null || embeddings.isEmpty()) {
      throw new IllegalArgumentException(
          "watchlist entry " + id + ": at least one embedding is required");
    }
    embeddings = List.copyOf(embeddings);
    int dims = embeddings.get(0).dimensions();
    for (Int8Embedding e : embeddings) {
      if (e.dimensions() != dims) {
        throw new IllegalArgumentException(
            "watchlist entry "
                + id
                + ": embeddings differ in dimensions ("
                + dims
                + " vs "
                + e.dimensions()
                + ")");
      }
    }
    if (!Candidate.isValidModelTag(model)) {
      throw new IllegalArgumentException("watchlist entry " + id + ": invalid model tag " + model);
    }
    if (createdBy == null || createdBy.isBlank()) {
      throw new IllegalArgumentException("watchlist entry " + id + ": createdBy is required");
    }
    if (createdAt == null) {
      throw new IllegalArgumentException("watchlist entry " + id + ": createdAt is required");
    }
    if (threshold != null) {
      ThresholdConfig.requireThreshold("watchlist entry " + id + ": threshold", threshold);
    }
    if (authorization == null) {
      throw new IllegalArgumentException(
          "watchlist entry " + id + ": authorization is required (Authorization.NONE for none)");
    }
  }

  /** The same entry under another authorisation. */
  public WatchlistEntry withAuthorization(Authorization a) {
    return new WatchlistEntry(
        id, label, embeddings, model, legalBasis, expiresAt, createdBy, createdAt, threshold, a);
  }

  /** True if a candidate from {@code origin} may match this entry at {@code now}. */
  public boolean permits(@Nullable Origin origin, Instant now) {
    return !isExpiredAt(now) && authorization.permits(origin, now.toEpochMilli());
  }

  /** True once the entry may no longer match. */
  public boolean isExpiredAt(Instant now) {
    return !now.isBefore(expiresAt);
  }

  /** Dimension of this entry's embeddings. */
  public int dimensions() {
    return embeddings.get(0).dimensions();
  }

  @Override
  public String toString() {
    // Never the embeddings, never the label (personal data) in logs.
    return "WatchlistEntry["
        + id
        + ", "
        + embeddings.size()
        + " embeddings, expires "
        + expiresAt
        + "]";
  }
}
