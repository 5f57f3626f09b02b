package io.edgecam.matcher.audit;

import io.edgecam.protocol.tuf.SigningKey;
import java.time.Instant;

/**
 * Appends records with action keys this branch's {@link AuditAction} does not know, chained and
 * signed like any other: what another component (issue 17.2's verification records) writes, for the
 * reports that read them generically.
 */
public final class ForeignRecords {
  private ForeignRecords() {}

  public static AuditRecord append(
      AuditStore store,
      SigningKey key,
      Instant time,
      String actor,
      String action,
      String subject,
      String detailJson) {
    return store.append(
        last -> AuditChain.next(last, time, actor, action, subject, detailJson, key));
  }
}
