package io.edgecam.matcher.audit;

import org.jspecify.annotations.Nullable;

/**
 * A page of the audit log. Ascending pages start after {@code afterSeq}; newest-first pages start
 * before {@code beforeSeq}. Optional filters by action key and actor. Immutable.
 *
 * @param afterSeq ascending: records with seq greater than this (0 = from the start; {@code
 *     Long.MIN_VALUE} also finds rows with a seq below 1, which only tampering creates)
 * @param beforeSeq newest first: records with seq smaller than this ({@code Long.MAX_VALUE} = from
 *     the end)
 * @param newestFirst order of the page
 * @param action only this {@link AuditAction#key()}, or null
 * @param actor only this actor (and, for {@code person:NAME}, every {@code person:NAME/TOKEN}), or
 *     null
 * @param limit page size, 1..10000
 */
public record AuditQuery(
    long afterSeq,
    long beforeSeq,
    boolean newestFirst,
    @Nullable String action,
    @Nullable String actor,
    int limit) {
  public static final int MAX_LIMIT = 10_000;

  public AuditQuery {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be in 1.." + MAX_LIMIT + ", was " + limit);
    }
  }

  /** Oldest first, records after {@code afterSeq}. */
  public static AuditQuery after(long afterSeq, int limit) {
    return new AuditQuery(afterSeq, Long.MAX_VALUE, false, null, null, limit);
  }

  /** Newest first, records before {@code beforeSeq} ({@code Long.MAX_VALUE}: the newest). */
  public static AuditQuery newest(long beforeSeq, int limit) {
    return new AuditQuery(0, beforeSeq, true, null, null, limit);
  }

  /** The same page, only records of {@code action}. */
  public AuditQuery withAction(@Nullable AuditAction a) {
    return new AuditQuery(
        afterSeq, beforeSeq, newestFirst, a == null ? null : a.key(), actor, limit);
  }

  /** The same page, only records of {@code who}. */
  public AuditQuery withActor(@Nullable String who) {
    return new AuditQuery(afterSeq, beforeSeq, newestFirst, action, who, limit);
  }

  /** The query for the page after one that ended with {@code lastSeq}. */
  public AuditQuery next(long lastSeq) {
    return newestFirst
        ? new AuditQuery(afterSeq, lastSeq, true, action, actor, limit)
        : new AuditQuery(lastSeq, beforeSeq, false, action, actor, limit);
  }
}
