package io.edgecam.matcher.auth;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * An operator API token as stored: everything but the secret, of which only the SHA-256 is kept.
 *
 * @param id public id ({@code tok_} + 12 hex digits), used to list and revoke
 * @param name who or what holds the token (a person, "prometheus"...); shown in the audit log
 * @param role what the token may do
 * @param createdBy who issued it
 * @param createdAt when it was issued
 * @param expiresAt when it stops working, or null for never
 * @param lastUsedAt last successful authentication (updated at most once a minute), or null
 * @param revokedAt when it was revoked, or null
 */
public record ApiToken(
    String id,
    String name,
    Role role,
    String createdBy,
    Instant createdAt,
    @Nullable Instant expiresAt,
    @Nullable Instant lastUsedAt,
    @Nullable Instant revokedAt) {

  public ApiToken {
    if (id == null || !id.matches("tok_[0-9a-f]{12}")) {
      throw new IllegalArgumentException("token id must be tok_ + 12 hex digits, was " + id);
    }
    if (name == null || name.isBlank() || name.length() > 100) {
      throw new IllegalArgumentException("token name must be 1..100 characters");
    }
    if (role == null || createdBy == null || createdAt == null) {
      throw new IllegalArgumentException("token role, createdBy and createdAt are required");
    }
  }

  /** True if the token may authenticate at {@code now}: not revoked, not expired. */
  public boolean isActiveAt(Instant now) {
    return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
  }

  /** How the audit log names this token's holder: {@code token:NAME}. */
  public String actor() {
    return "token:" + name;
  }
}
