package io.edgecam.matcher.auth;

import io.edgecam.matcher.store.MatcherStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Issues and checks operator API tokens. A token's secret is {@code ect_} + 32 random bytes
 * (base64url); only its SHA-256 is stored, so a leaked database reveals no usable token. A plain
 * hash (no salt, no slow KDF) suffices because the secrets are 256-bit random, not passwords.
 * Thread-safe.
 */
public final class ApiTokens {
  /** Every secret starts with this, so that leaked tokens are easy to recognize and scan for. */
  public static final String PREFIX = "ect_";

  private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);
  private static final int SECRET_LENGTH = PREFIX.length() + 43;

  private final MatcherStore store;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Instant> lastTouched = new ConcurrentHashMap<>();

  public ApiTokens(MatcherStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /**
   * A new token and its secret, which is shown once and never again.
   *
   * @param secret what the holder sends as {@code Authorization: Bearer SECRET}
   * @param token the stored part
   */
  public record Issued(String secret, ApiToken token) {}

  /** Issues and stores a token that belongs to a person of the same name as the token. */
  public Issued issue(String name, Role role, String createdBy, @Nullable Duration validFor) {
    return issue(name, name, role, createdBy, validFor);
  }

  /**
   * Issues and stores a token of {@code person}. A person whose name differs from an existing
   * person's only in case is that person (their spelling is kept), so that "Dana" and "dana" can
   * never count as two people confirming an alert.
   *
   * @param validFor how long it works, or null for no expiry
   * @throws IllegalArgumentException if the name or person is empty or longer than 100 characters
   */
  public Issued issue(
      String name, String person, Role role, String createdBy, @Nullable Duration validFor) {
    ApiToken.requirePerson(person);
    for (ApiToken t : store.tokens()) {
      if (t.person().equalsIgnoreCase(person)) {
        person = t.person();
        break;
      }
    }
    byte[] raw = new byte[32];
    random.nextBytes(raw);
    String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    byte[] idBytes = new byte[6];
    random.nextBytes(idBytes);
    Instant now = clock.instant();
    ApiToken token =
        new ApiToken(
            "tok_" + HexFormat.of().formatHex(idBytes),
            name,
            person,
            role,
            createdBy,
            now,
            validFor == null ? null : now.plus(validFor),
            null,
            null);
    store.insertToken(token, sha256(secret));
    return new Issued(secret, token);
  }

  /**
   * The active token with this secret, or null if there is none, it was revoked or it expired.
   * Records the use (at most once a minute per token).
   */
  public @Nullable ApiToken authenticate(String secret) {
    if (secret == null || secret.length() != SECRET_LENGTH || !secret.startsWith(PREFIX)) {
      return null; // not one of ours: no database round trip
    }
    ApiToken t = store.tokenBySecretSha256(sha256(secret));
    Instant now = clock.instant();
    if (t == null || !t.isActiveAt(now)) {
      return null;
    }
    Instant last = lastTouched.get(t.id());
    if (last == null || !now.isBefore(last.plus(TOUCH_INTERVAL))) {
      lastTouched.put(t.id(), now);
      store.tokenUsed(t.id(), now);
    }
    return t;
  }

  /** Every token, revoked ones included, oldest first. */
  public List<ApiToken> list() {
    return store.tokens();
  }

  /** Revokes a token; false if there is none with that id or it was already revoked. */
  public boolean revoke(String id) {
    return store.revokeToken(id, clock.instant());
  }

  static String sha256(String secret) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(secret.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
