package io.edgecam.matcher.audit;

import io.edgecam.matcher.store.PostgresMatcherStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * A second matcher process for {@link PostgresAuditLogIT}: appends {@code COUNT} records as {@code
 * ACTOR} to the audit log of the PostgreSQL store at {@code JDBC_URL}, signing with {@code
 * KEY_FILE}. Exit 0 when all were appended.
 */
public final class AuditAppender {
  private AuditAppender() {}

  public static void main(String[] args) {
    if (args.length != 4) {
      System.err.println("usage: AuditAppender JDBC_URL KEY_FILE COUNT ACTOR");
      System.exit(2);
    }
    try (PostgresMatcherStore store = new PostgresMatcherStore(args[0])) {
      AuditLog log =
          new AuditLog(store.audit(), AuditKeys.load(Path.of(args[1])), Clock.systemUTC(), null);
      int n = Integer.parseInt(args[2]);
      for (int i = 0; i < n; i++) {
        log.append(args[3], AuditAction.ALERT_VIEW, "a" + i, Map.of("i", i));
      }
    }
  }
}
