package io.edgecam.matcher.report;

import io.edgecam.matcher.audit.AuditQuery;
import io.edgecam.matcher.audit.AuditRecord;
import io.edgecam.matcher.audit.AuditStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The audit records up to an instant, oldest first, read in pages (what both reports replay). */
final class AuditHistory {
  private static final int PAGE = 5_000;

  private AuditHistory() {}

  /** Every record with a time before {@code to}, in chain order. */
  static List<AuditRecord> until(AuditStore audit, Instant to) {
    List<AuditRecord> out = new ArrayList<>();
    AuditQuery q = AuditQuery.after(0, PAGE);
    List<AuditRecord> page;
    do {
      page = audit.read(q);
      for (AuditRecord r : page) {
        if (r.time().isBefore(to)) {
          out.add(r);
        }
      }
      if (!page.isEmpty()) {
        q = q.next(page.get(page.size() - 1).seq());
      }
    } while (page.size() == PAGE);
    return out;
  }
}
