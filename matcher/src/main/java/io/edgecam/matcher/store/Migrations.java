package io.edgecam.matcher.store;

import java.util.List;

/**
 * Numbered schema migrations, applied in order inside one transaction each and recorded in {@code
 * schema_version}. Never edit an applied migration; add the next number. {@code ${blob}} is
 * replaced by the dialect's binary column type.
 */
final class Migrations {
  /** One schema step. */
  record Migration(int version, String description, List<String> statements) {}

  static final List<Migration> ALL =
      List.of(
          new Migration(
              1,
              "watchlist and alerts",
              List.of(
                  """
                  CREATE TABLE watchlist_entry (
                    id TEXT PRIMARY KEY,
                    label TEXT NOT NULL,
                    legal_basis TEXT NOT NULL,
                    expires_at BIGINT NOT NULL,
                    created_by TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    threshold DOUBLE PRECISION)""",
                  """
                  CREATE TABLE watchlist_embedding (
                    entry_id TEXT NOT NULL,
                    idx INTEGER NOT NULL,
                    scale REAL NOT NULL,
                    vec ${blob} NOT NULL,
                    PRIMARY KEY (entry_id, idx))""",
                  """
                  CREATE TABLE alert (
                    id TEXT PRIMARY KEY,
                    site TEXT NOT NULL,
                    device TEXT NOT NULL,
                    sequence BIGINT NOT NULL,
                    capture_time BIGINT NOT NULL,
                    match_time BIGINT NOT NULL,
                    entry_id TEXT NOT NULL,
                    label TEXT NOT NULL,
                    score DOUBLE PRECISION NOT NULL,
                    threshold DOUBLE PRECISION NOT NULL,
                    track_id INTEGER NOT NULL,
                    box_x INTEGER NOT NULL,
                    box_y INTEGER NOT NULL,
                    box_w INTEGER NOT NULL,
                    box_h INTEGER NOT NULL,
                    UNIQUE (device, sequence))""",
                  "CREATE INDEX alert_match_time ON alert (match_time)")),
          new Migration(
              2,
              "watchlist revision, so running matchers see CLI enrollments",
              List.of(
                  "CREATE TABLE watchlist_revision (id INTEGER PRIMARY KEY, revision BIGINT NOT NULL)",
                  "INSERT INTO watchlist_revision (id, revision) VALUES (1, 0)")),
          new Migration(
              3,
              "alert outbox: alerts not yet acknowledged by the broker are published again at start",
              List.of(
                  // Existing alerts count as published; new ones are inserted unpublished.
                  "ALTER TABLE alert ADD COLUMN published INTEGER NOT NULL DEFAULT 1",
                  "CREATE INDEX alert_unpublished ON alert (published)")),
          new Migration(
              4,
              "watchlist entries record their embedding space (model tag)",
              List.of(
                  "ALTER TABLE watchlist_entry ADD COLUMN model TEXT NOT NULL DEFAULT 'unknown'")),
          new Migration(
              5,
              "alert outbox claims: N matchers on one database never publish the same alert twice"
                  + " while its matcher is alive",
              List.of(
                  // Alerts stored before this migration are claimable by any matcher at once.
                  "ALTER TABLE alert ADD COLUMN claimed_by TEXT",
                  "ALTER TABLE alert ADD COLUMN claimed_until BIGINT NOT NULL DEFAULT 0")),
          new Migration(
              6,
              "audit log: append-only, hash-chained, signed (io.edgecam.matcher.audit)",
              List.of(
                  """
                  CREATE TABLE audit_log (
                    seq BIGINT PRIMARY KEY,
                    time BIGINT NOT NULL,
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL,
                    subject TEXT NOT NULL,
                    detail TEXT NOT NULL,
                    prev_hash TEXT NOT NULL,
                    hash TEXT NOT NULL UNIQUE,
                    key_id TEXT NOT NULL,
                    signature TEXT NOT NULL)""",
                  "CREATE INDEX audit_log_action ON audit_log (action, seq)",
                  // One row whose update serializes appenders across processes.
                  "CREATE TABLE audit_lock (id INTEGER PRIMARY KEY, appends BIGINT NOT NULL)",
                  "INSERT INTO audit_lock (id, appends) VALUES (1, 0)")),
          new Migration(
              7,
              "operator API tokens (hashed) and alert indexes for the REST API's filters",
              List.of(
                  """
                  CREATE TABLE api_token (
                    id TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    role TEXT NOT NULL,
                    secret_sha256 TEXT NOT NULL UNIQUE,
                    created_by TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    expires_at BIGINT,
                    last_used_at BIGINT,
                    revoked_at BIGINT)""",
                  "CREATE INDEX alert_device_time ON alert (device, match_time)",
                  "CREATE INDEX alert_site_time ON alert (site, match_time)",
                  "CREATE INDEX alert_entry_time ON alert (entry_id, match_time)")),
          new Migration(
              8,
              "human oversight: tokens belong to a person; alert reviews (two-person verification)",
              List.of(
                  // Tokens issued before persons existed belong to a person named like the token.
                  "ALTER TABLE api_token ADD COLUMN person TEXT NOT NULL DEFAULT ''",
                  "UPDATE api_token SET person = name WHERE person = ''",
                  "CREATE INDEX api_token_person ON api_token (person)",
                  // Alerts stored before this migration are pending like new ones.
                  "ALTER TABLE alert ADD COLUMN review_state TEXT NOT NULL DEFAULT 'pending'",
                  "ALTER TABLE alert ADD COLUMN review_count INTEGER NOT NULL DEFAULT 0",
                  "ALTER TABLE alert ADD COLUMN reviewed_at BIGINT",
                  // Verified alerts whose action sinks (webhook, verified topic) have not all
                  // succeeded yet are retried by the housekeeping thread.
                  "ALTER TABLE alert ADD COLUMN action_sent INTEGER NOT NULL DEFAULT 0",
                  "CREATE INDEX alert_review_state ON alert (review_state, match_time)",
                  """
                  CREATE TABLE alert_review (
                    alert_id TEXT NOT NULL,
                    idx INTEGER NOT NULL,
                    person TEXT NOT NULL,
                    token_id TEXT NOT NULL,
                    decision TEXT NOT NULL,
                    reason TEXT,
                    note TEXT,
                    at BIGINT NOT NULL,
                    PRIMARY KEY (alert_id, idx))""")),
          new Migration(
              9,
              "scoped authorisations: authorising body and reference, sites, devices and time"
                  + " window of a watchlist entry; existing entries keep every site, no window",
              List.of(
                  "ALTER TABLE watchlist_entry ADD COLUMN auth_body TEXT",
                  "ALTER TABLE watchlist_entry ADD COLUMN auth_reference TEXT",
                  // Comma-separated ids (ids never hold a comma); NULL: every site / device.
                  "ALTER TABLE watchlist_entry ADD COLUMN scope_sites TEXT",
                  "ALTER TABLE watchlist_entry ADD COLUMN scope_devices TEXT",
                  "ALTER TABLE watchlist_entry ADD COLUMN window_from BIGINT",
                  "ALTER TABLE watchlist_entry ADD COLUMN window_until BIGINT")),
          new Migration(
              10,
              "alerts record the operating point: the runner-up entry's score and the expected"
                  + " false alarms per stranger at match time",
              List.of(
                  // Alerts stored before: no runner-up known (-1, the lowest cosine) and expected
                  // false alarms bounded by 1 only.
                  "ALTER TABLE alert ADD COLUMN second_score DOUBLE PRECISION NOT NULL DEFAULT -1",
                  "ALTER TABLE alert ADD COLUMN expected_fpir DOUBLE PRECISION NOT NULL DEFAULT 1")));

  private Migrations() {}
}
