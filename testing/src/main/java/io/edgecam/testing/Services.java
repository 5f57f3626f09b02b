package io.edgecam.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Real services for integration tests. A missing service skips the test with the reason, unless
 * {@code EDGECAM_REQUIRE_SERVICES=1}, which turns the skip into a failure: {@link #unavailable} is
 * the one place that decides, for every module's tests.
 */
public final class Services {
  private static final String[] PG_USERS = {"postgres", "root"};

  private Services() {}

  public static boolean required() {
    return "1".equals(System.getenv("EDGECAM_REQUIRE_SERVICES"));
  }

  /** Skips (or fails, when services are required) with {@code reason}. */
  public static void unavailable(String reason) {
    if (required()) {
      throw new AssertionError("EDGECAM_REQUIRE_SERVICES=1 but " + reason);
    }
    assumeTrue(false, reason);
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A JDBC URL for the local PostgreSQL database {@code test}, starting the cluster if it is down;
   * skips when there is none.
   */
  public static String postgresUrl() {
    String base = "jdbc:postgresql://127.0.0.1:5432/test";
    if (!listening(5432)) {
      run(List.of("pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", "start"));
      try {
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> listening(5432));
      } catch (ConditionTimeoutException e) {
        unavailable(
            "PostgreSQL is not running on 127.0.0.1:5432 and pg_ctlcluster could not start it");
      }
    }
    for (String user : PG_USERS) {
      String url = base + "?user=" + user;
      try (Connection c = DriverManager.getConnection(url)) {
        if (c.isValid(5)) {
          return url;
        }
      } catch (SQLException e) {
        // try the next user
      }
    }
    unavailable(
        "PostgreSQL on 127.0.0.1:5432, database test, is not reachable as postgres or root");
    throw new AssertionError("unreachable");
  }

  /** Creates a schema with a random name; returns its name. */
  public static String createSchema(String url) throws SQLException {
    String schema =
        "matcher_test_" + Long.toHexString(System.nanoTime()) + "_" + (int) (Math.random() * 1000);
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    return schema;
  }

  public static void dropSchema(String url, String schema) throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  /** True when something accepts TCP connections on {@code port} of the loopback address. */
  public static boolean listening(int port) {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return s.isConnected();
    } catch (IOException e) {
      return false;
    }
  }

  static void run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.waitFor(20, TimeUnit.SECONDS);
    } catch (IOException e) {
      // not installed: the caller reports the service as unavailable
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
