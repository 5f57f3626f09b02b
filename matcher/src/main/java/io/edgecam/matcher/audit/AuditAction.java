package io.edgecam.matcher.audit;

/**
 * What an audit record is about. The {@link #key()} is what the log stores and what {@code edgecam
 * audit} prints; keys never change once released (verification recomputes hashes over them).
 */
public enum AuditAction {
  /** A watchlist entry was created (or replaced under the same id). Subject: entry id. */
  WATCHLIST_CREATE("watchlist.create"),
  /** A watchlist entry was deleted by someone. Subject: entry id. */
  WATCHLIST_DELETE("watchlist.delete"),
  /** A watchlist entry got a new expiry and legal basis. Subject: entry id. */
  WATCHLIST_EXTEND("watchlist.extend"),
  /** Expired watchlist entries were deleted by the matcher. Subject: {@code watchlist}. */
  WATCHLIST_EXPIRE("watchlist.expire"),
  /** A candidate matched and an alert was stored. Subject: alert id. */
  ALERT_MATCH("alert.match"),
  /** Someone looked at alerts (API, dashboard). Subject: alert id or a query. */
  ALERT_VIEW("alert.view"),
  /** Someone exported alerts. Subject: what was exported. */
  ALERT_EXPORT("alert.export"),
  /**
   * A person confirmed an alert (human verification); detail: person, token, resulting state and
   * confirmations so far. Subject: alert id.
   */
  ALERT_CONFIRM("alert.confirm"),
  /** A person rejected an alert; detail: person, token, reason, note. Subject: alert id. */
  ALERT_REJECT("alert.reject"),
  /** Someone looked at or exported the audit log. */
  AUDIT_VIEW("audit.view"),
  /** A login succeeded. Subject: user or token name. */
  LOGIN("auth.login"),
  /** A login failed. Subject: the claimed user (never the secret). */
  LOGIN_FAILED("auth.login-failed"),
  /** A token or user was created, changed or revoked. Subject: token or user name. */
  ACCESS_CHANGE("auth.change"),
  /** The matcher started; detail holds the hash of its configuration. Subject: client id. */
  CONFIG("config.start"),
  /** Retention removed old matches (counts only). Subject: {@code retention}. */
  RETENTION_PURGE("retention.purge");

  private final String key;

  AuditAction(String key) {
    this.key = key;
  }

  /** Stable name stored in the log. */
  public String key() {
    return key;
  }
}
