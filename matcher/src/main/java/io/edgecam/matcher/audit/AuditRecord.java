package io.edgecam.matcher.audit;

import java.time.Instant;

/**
 * One record of the audit log, as stored. {@code hash} is the hex SHA-256 of the record's canonical
 * encoding ({@link AuditChain#canonical}), which covers every other field except the signature;
 * {@code prevHash} is the hash of record {@code seq - 1} (64 zeros for the first); {@code
 * signature} is the Ed25519 signature (hex) of key {@code keyId} over the 32 hash bytes. Immutable.
 *
 * @param seq position in the chain, 1, 2, 3, ... without gaps
 * @param time when it was appended
 * @param actor who did it: {@code user:NAME}, {@code token:NAME}, {@code cli:USER}, {@code matcher}
 * @param action an {@link AuditAction#key()} (a string, so that records of unknown actions still
 *     verify)
 * @param subject what it was done to (entry id, alert id, ...)
 * @param detail a JSON object, stored and hashed as this exact text
 */
public record AuditRecord(
    long seq,
    Instant time,
    String actor,
    String action,
    String subject,
    String detail,
    String prevHash,
    String hash,
    String keyId,
    String signature) {}
