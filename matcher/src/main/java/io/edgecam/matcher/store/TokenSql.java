package io.edgecam.matcher.store;

import io.edgecam.matcher.auth.ApiToken;
import io.edgecam.matcher.auth.Role;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** SQL of the {@code api_token} table, common to every dialect; callers own the transaction. */
final class TokenSql {
  private static final String COLUMNS =
      "SELECT id, name, person, role, created_by, created_at, expires_at, last_used_at, revoked_at"
          + " FROM api_token";

  private TokenSql() {}

  static void insert(Connection c, ApiToken t, String secretSha256) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO api_token (id, name, role, secret_sha256, created_by, created_at,"
                + " expires_at, person) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, t.id());
      ps.setString(2, t.name());
      ps.setString(3, t.role().key());
      ps.setString(4, secretSha256);
      ps.setString(5, t.createdBy());
      ps.setLong(6, t.createdAt().toEpochMilli());
      setInstant(ps, 7, t.expiresAt());
      ps.setString(8, t.person());
      ps.executeUpdate();
    }
  }

  static @Nullable ApiToken bySecret(Connection c, String secretSha256) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(COLUMNS + " WHERE secret_sha256 = ?")) {
      ps.setString(1, secretSha256);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? read(rs) : null;
      }
    }
  }

  static List<ApiToken> all(Connection c) throws SQLException {
    List<ApiToken> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(COLUMNS + " ORDER BY created_at, id");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(read(rs));
      }
    }
    return out;
  }

  static boolean revoke(Connection c, String id, Instant at) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE api_token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")) {
      ps.setLong(1, at.toEpochMilli());
      ps.setString(2, id);
      return ps.executeUpdate() == 1;
    }
  }

  static void used(Connection c, String id, Instant at) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE api_token SET last_used_at = ? WHERE id = ?")) {
      ps.setLong(1, at.toEpochMilli());
      ps.setString(2, id);
      ps.executeUpdate();
    }
  }

  private static ApiToken read(ResultSet rs) throws SQLException {
    return new ApiToken(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        Role.parse(rs.getString(4)),
        rs.getString(5),
        Instant.ofEpochMilli(rs.getLong(6)),
        instant(rs, 7),
        instant(rs, 8),
        instant(rs, 9));
  }

  private static @Nullable Instant instant(ResultSet rs, int column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(v);
  }

  private static void setInstant(PreparedStatement ps, int i, @Nullable Instant t)
      throws SQLException {
    if (t == null) {
      ps.setNull(i, Types.BIGINT);
    } else {
      ps.setLong(i, t.toEpochMilli());
    }
  }
}
