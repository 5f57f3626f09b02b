package io.edgecam.matcher.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.edgecam.matcher.config.AuditConfig;
import io.edgecam.protocol.tuf.SigningKey;
import io.edgecam.protocol.tuf.TufKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The append-only, hash-chained, signed audit log of the matcher. Each {@link #append} adds one
 * record that holds the hash of the one before and is signed with the matcher's Ed25519 key; {@code
 * edgecam audit verify} ({@link AuditVerifier}) detects edited, removed, reordered and inserted
 * records. When a head file is configured, every append also rewrites it with a checkpoint ({@link
 * AuditHead}) so that a truncated tail is detected too.
 *
 * <pre>{@code
 * AuditLog audit = matcherService.audit();
 * audit.append("user:alice", AuditAction.LOGIN, "alice", Map.of("role", "admin"));
 * List<AuditRecord> page = audit.read(AuditQuery.newest(Long.MAX_VALUE, 50));
 * }</pre>
 *
 * Never put biometric data, secrets or tokens in a detail. Thread-safe; appends from several
 * threads or processes on one database are serialized by the store into one chain.
 */
public final class AuditLog {
  private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
  private static final ObjectMapper DETAIL =
      JsonMapper.builder().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

  private final AuditStore store;
  private final SigningKey key;
  private final Clock clock;
  private final @Nullable Path headFile;
  private long headWritten;

  /**
   * @param store where the chain lives (the matcher's database)
   * @param key the matcher's audit key ({@link AuditKeys})
   * @param clock record times
   * @param headFile where to keep the signed head checkpoint, or null for none
   */
  public AuditLog(AuditStore store, SigningKey key, Clock clock, @Nullable Path headFile) {
    this.store = store;
    this.key = key;
    this.clock = clock;
    this.headFile = headFile;
  }

  /**
   * Appends a record.
   *
   * @param actor who: {@code user:NAME}, {@code token:NAME}, {@code cli:OSUSER}, {@code matcher}
   * @param action what
   * @param subject to what (entry id, alert id, user name, ...)
   * @param detail facts as JSON (strings, numbers, booleans, lists, maps); no biometric data, no
   *     secrets
   * @return the stored record
   * @throws AuditException or a store exception if it could not be stored
   */
  public AuditRecord append(
      String actor, AuditAction action, String subject, Map<String, ?> detail) {
    String json = detailJson(action, detail);
    AuditRecord r =
        store.append(
            last ->
                AuditChain.next(last, clock.instant(), actor, action.key(), subject, json, key));
    log.debug("audit #{} {} {} by {}", r.seq(), r.action(), r.subject(), r.actor());
    writeHead(r);
    return r;
  }

  /**
   * Appends a record through {@code writer}, which runs the record's builder inside a transaction
   * of its own together with the change it records (see {@code MatcherStore#insertAlertOnce(Alert,
   * Function)}), or returns null to record nothing.
   *
   * @return the stored record, or null if {@code writer} wrote none
   */
  public @Nullable AuditRecord appendWith(
      String actor,
      AuditAction action,
      String subject,
      Map<String, ?> detail,
      Function<Function<@Nullable AuditRecord, AuditRecord>, @Nullable AuditRecord> writer) {
    String json = detailJson(action, detail);
    AuditRecord r =
        writer.apply(
            last ->
                AuditChain.next(last, clock.instant(), actor, action.key(), subject, json, key));
    if (r != null) {
      writeHead(r);
    }
    return r;
  }

  private static String detailJson(AuditAction action, Map<String, ?> detail) {
    try {
      return DETAIL.writeValueAsString(detail);
    } catch (JsonProcessingException e) {
      throw new AuditException("audit detail of " + action.key() + " is not JSON: " + e, e);
    }
  }

  private synchronized void writeHead(AuditRecord r) {
    if (headFile != null && r.seq() > headWritten) {
      AuditHead.of(r).write(headFile);
      headWritten = r.seq();
    }
  }

  /**
   * The audit log of a matcher database with the key and head file {@code config} names; creates
   * the key on first use.
   */
  public static AuditLog open(AuditStore store, AuditConfig config, Clock clock) {
    Path keyFile = config.keyFile();
    if (!Files.exists(keyFile)) {
      AuditRecord last = store.last();
      if (last != null) {
        // A new key now would silently start a second signer: make the operator decide.
        throw new AuditException(
            "audit key "
                + keyFile
                + " does not exist, but the audit log already has "
                + last.seq()
                + " records (the last signed by key "
                + last.keyId().substring(0, Math.min(16, last.keyId().length()))
                + "...): restore that key file, or point audit.keyFile (--config) at it; to"
                + " start signing with a new key, create it with: edgecam audit key --key "
                + keyFile);
      }
    }
    return new AuditLog(store, AuditKeys.loadOrCreate(keyFile), clock, config.headFile());
  }

  /** A page of records; see {@link AuditQuery}. */
  public List<AuditRecord> read(AuditQuery query) {
    return store.read(query);
  }

  /** The newest record, or null if the log is empty. */
  public @Nullable AuditRecord last() {
    return store.last();
  }

  /**
   * Verifies the whole chain against this log's key and its head checkpoint (if any), as {@code
   * edgecam audit verify} does; records signed by an earlier, rotated key fail here (the CLI
   * accepts more keys with {@code --key}).
   */
  public AuditVerifier.Report verify() {
    return AuditVerifier.verify(
        store, List.of(key.publicKey()), headFile == null ? null : AuditHead.read(headFile));
  }

  /** The public half of the signing key, for {@code audit verify} elsewhere. */
  public TufKey publicKey() {
    return key.publicKey();
  }

  /** The head checkpoint file, or null. */
  public @Nullable Path headFile() {
    return headFile;
  }
}
