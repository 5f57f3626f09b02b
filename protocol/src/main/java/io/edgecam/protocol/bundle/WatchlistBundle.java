package io.edgecam.protocol.bundle;

import io.edgecam.protocol.Candidate;
import io.edgecam.protocol.Ids;
import io.edgecam.protocol.Int8Embedding;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The watchlist as a device receives it (docs/protocol.md, "Watchlist bundle"): pseudonymous ids,
 * int8 embeddings, per-entry thresholds and expiries of the active entries for one embedding space.
 * <b>No names, no legal basis, no matcher entry ids</b>: the alias of an entry is an HMAC of its id
 * under a key only the maintainer holds ({@link PseudonymousId}). Encoded by {@link
 * WatchlistBundleCodec}. Immutable and thread-safe; {@link #toString()} shows no embeddings.
 *
 * @param version watchlist version, >= 1, strictly increasing per site (the TUF target's version)
 * @param createdMillis when the maintainer built it, Unix epoch ms, >= 0
 * @param model tag of the embedding space (candidate model tag); a device with another embedder
 *     must not use the bundle
 * @param entries entries, aliases unique, all embeddings of one dimension; may be empty (an empty
 *     watchlist is a valid state: the device then sends no candidate if its prefilter is on)
 */
public record WatchlistBundle(long version, long createdMillis, String model, List<Entry> entries) {
  /** Bundle format version written first in the encoding. */
  public static final int FORMAT = 1;

  /** Most entries in a bundle. */
  public static final int MAX_ENTRIES = 100_000;

  /** Most embeddings per entry. */
  public static final int MAX_EMBEDDINGS_PER_ENTRY = 16;

  /**
   * Validates every field; throws {@link IllegalArgumentException} naming the first bad one.
   *
   * @throws IllegalArgumentException on a rule above being broken
   */
  public WatchlistBundle {
    if (version < 1) {
      throw new IllegalArgumentException("bundle version must be >= 1, was " + version);
    }
    if (createdMillis < 0 || createdMillis > Candidate.MAX_CAPTURE_TIME_MILLIS) {
      throw new IllegalArgumentException(
          "bundle createdMillis must be in 0.."
              + Candidate.MAX_CAPTURE_TIME_MILLIS
              + ", was "
              + createdMillis);
    }
    if (!Candidate.isValidModelTag(model)) {
      throw new IllegalArgumentException(
          "bundle model must be a model tag (1.." + Candidate.MAX_MODEL_TAG + " visible ASCII)");
    }
    if (entries == null) {
      throw new IllegalArgumentException("bundle entries must not be null");
    }
    entries = List.copyOf(entries);
    if (entries.size() > MAX_ENTRIES) {
      throw new IllegalArgumentException(
          "bundle has " + entries.size() + " entries, at most " + MAX_ENTRIES);
    }
    Set<String> aliases = new HashSet<>();
    int dims = entries.isEmpty() ? 0 : entries.get(0).dimensions();
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      if (!aliases.add(e.alias())) {
        throw new IllegalArgumentException(
            "entries[" + i + "]: alias " + e.alias() + " appears twice");
      }
      if (e.dimensions() != dims) {
        throw new IllegalArgumentException(
            "entries[" + i + "]: " + e.dimensions() + " dimensions, entries[0] has " + dims);
      }
    }
  }

  /** Dimension of the embeddings, 0 for an empty bundle. */
  public int dimensions() {
    return entries.isEmpty() ? 0 : entries.get(0).dimensions();
  }

  /** The entries not expired at {@code nowMillis} (an entry stops at its expiry). */
  public List<Entry> activeAt(long nowMillis) {
    return entries.stream().filter(e -> nowMillis < e.expiresMillis()).toList();
  }

  @Override
  public String toString() {
    return "WatchlistBundle[v"
        + version
        + ", "
        + model
        + ", "
        + entries.size()
        + " entries, "
        + dimensions()
        + "d]";
  }

  /**
   * One person on the device's watchlist, pseudonymous.
   *
   * @param alias pseudonymous id: an id (1..64 of {@code [A-Za-z0-9._-]}, see {@link Ids}); not the
   *     matcher's entry id
   * @param embeddings 1..{@value #MAX_EMBEDDINGS_PER_ENTRY} embeddings of the same dimension
   * @param threshold cosine threshold of this entry at the matcher, in (0, 1]; a device prefilter
   *     compares with something lower (docs/updates.md)
   * @param expiresMillis the entry stops matching at this time, Unix epoch ms, >= 1
   */
  public record Entry(
      String alias, List<Int8Embedding> embeddings, float threshold, long expiresMillis) {
    /** Validates every field; throws {@link IllegalArgumentException} naming the bad one. */
    public Entry {
      if (!Ids.isValid(alias)) {
        throw new IllegalArgumentException(
            "entry alias must be 1-64 characters of [A-Za-z0-9._-] starting with a letter or"
                + " digit");
      }
      if (embeddings == null
          || embeddings.isEmpty()
          || embeddings.size() > MAX_EMBEDDINGS_PER_ENTRY) {
        throw new IllegalArgumentException(
            "entry "
                + alias
                + ": 1.."
                + MAX_EMBEDDINGS_PER_ENTRY
                + " embeddings required, had "
                + (embeddings == null ? 0 : embeddings.size()));
      }
      embeddings = List.copyOf(embeddings);
      int dims = embeddings.get(0).dimensions();
      for (Int8Embedding e : embeddings) {
        if (e.dimensions() != dims) {
          throw new IllegalArgumentException(
              "entry " + alias + ": embeddings differ in dimensions");
        }
      }
      if (!(threshold > 0f && threshold <= 1f)) {
        throw new IllegalArgumentException(
            "entry " + alias + ": threshold must be in (0, 1], was " + threshold);
      }
      if (expiresMillis < 1 || expiresMillis > Candidate.MAX_CAPTURE_TIME_MILLIS) {
        throw new IllegalArgumentException(
            "entry "
                + alias
                + ": expiresMillis must be in 1.."
                + Candidate.MAX_CAPTURE_TIME_MILLIS
                + ", was "
                + expiresMillis);
      }
    }

    /** Dimension of the embeddings. */
    public int dimensions() {
      return embeddings.get(0).dimensions();
    }

    @Override
    public String toString() {
      return "Entry[" + alias + ", " + embeddings.size() + " embeddings]";
    }
  }
}
