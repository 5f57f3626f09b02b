package io.edgecam.matcher.auth;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * An operator API token as stored: everything but the secret, of which only the SHA-256 is kept.
 *
 * @param id public id ({@code tok_} + 12 hex digits), used to list and revoke
 * @param name what the token is for ("laptop", "prometheus"...)
 * @param person the natural person the token belongs to (unique by name: every token issued for the
 *     same name is that one person's); the audit log and the two-person rule go by it
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
    String person,
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
    requirePerson(person);
    if (role == null || createdBy == null || createdAt == null) {
      throw new IllegalArgumentException("token role, createdBy and createdAt are required");
    }
  }

  /** True if the token may authenticate at {@code now}: not revoked, not expired. */
  public boolean isActiveAt(Instant now) {
    return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
  }

  /**
   * How the audit log names this token's holder: {@code person:PERSON/TOKEN_ID}, the person and the
   * token used.
   */
  public String actor() {
    return actorOf(person) + "/" + id;
  }

  /** The actor prefix of every token of {@code person}: {@code person:PERSON}. */
  public static String actorOf(String person) {
    return "person:" + person;
  }

  /**
   * Checks a person's name: 1..100 characters, no control characters and no {@code /} (which
   * separates the person from the token id in the audit log's actor).
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  public static String requirePerson(String person) {
    if (person == null || person.isBlank() || person.length() > 100) {
      throw new IllegalArgumentException("person must be 1..100 characters");
    }
    if (!person.strip().equals(person)) {
      throw new IllegalArgumentException("person must not start or end with a space");
    }
    if (person.indexOf('/') >= 0 || person.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(
          "person must not contain '/' or control characters, was '" + person + "'");
    }
    return person;
  }
}
