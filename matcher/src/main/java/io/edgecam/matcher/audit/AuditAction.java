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
  /**
   * A login or request failed authentication (401, or refused by the back-off). Subject: the
   * claimed user or the source address (never the secret); repeated failures of a minute are one
   * record with {@code repeated: N}.
   */
  LOGIN_FAILED("auth.login-failed"),
  /**
   * An authenticated request was refused for lack of a role (403). Subject: the source address;
   * repeated refusals of a minute are one record with {@code repeated: N}.
   */
  AUTH_DENIED("auth.denied"),
  /** Someone listed the watchlist (names, legal bases). Subject: {@code watchlist}. */
  WATCHLIST_VIEW("watchlist.view"),
  /** A token or user was created, changed or revoked. Subject: token or user name. */
  ACCESS_CHANGE("auth.change"),
  /** The matcher started; detail holds the hash of its configuration. Subject: client id. */
  CONFIG("config.start"),
  /** Retention removed old matches (counts only). Subject: {@code retention}. */
  RETENTION_PURGE("retention.purge"),
  /** The matcher stopped in order (a crash leaves none). Subject: client id. */
  MATCHER_STOP("matcher.stop"),
  /** A device came online (its status said so). Subject: {@code site/device}. */
  DEVICE_ONLINE("device.online"),
  /** A device went offline (its last will). Subject: {@code site/device}. */
  DEVICE_OFFLINE("device.offline"),
  /**
   * Candidates of a site decided on in a period (counts only, for the transparency report).
   * Subject: site.
   */
  USAGE_CANDIDATES("usage.candidates"),
  /** Someone made a usage or transparency report. Subject: the report kind. */
  REPORT("report.create");

  private final String key;

  AuditAction(String key) {
    this.key = key;
  }

  /** Stable name stored in the log. */
  public String key() {
    return key;
  }
}
