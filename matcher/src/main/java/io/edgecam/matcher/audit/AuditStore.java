package io.edgecam.matcher.audit;

import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Where the audit chain is kept (the matcher's database). Implementations must make {@link #append}
 * atomic across processes: two matchers on one database still form one chain.
 */
public interface AuditStore {

  /**
   * Appends one record under an exclusive, database-wide lock: reads the last record, lets {@code
   * next} build the new one from it (null when the log is empty), inserts it, commits.
   */
  AuditRecord append(Function<@Nullable AuditRecord, AuditRecord> next);

  /** Records matching {@code query}, in its order. */
  List<AuditRecord> read(AuditQuery query);

  /** The last record, or null if the log is empty. */
  @Nullable AuditRecord last();
}
