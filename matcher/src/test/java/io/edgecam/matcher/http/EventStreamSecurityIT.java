package io.edgecam.matcher.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgecam.matcher.Watchlist;
import io.edgecam.matcher.audit.AuditLog;
import io.edgecam.matcher.auth.ApiTokens;
import io.edgecam.matcher.auth.Role;
import io.edgecam.matcher.config.AuditConfig;
import io.edgecam.matcher.config.HttpConfig;
import io.edgecam.matcher.config.OversightConfig;
import io.edgecam.matcher.device.DeviceRegistry;
import io.edgecam.matcher.index.ExactWatchlistIndex;
import io.edgecam.matcher.oversight.Oversight;
import io.edgecam.matcher.store.MatcherStore;
import io.edgecam.matcher.store.SqliteMatcherStore;
import io.edgecam.matcher.testing.FakeImageEmbedder;
import io.edgecam.protocol.Health;
import io.edgecam.testing.MutableClock;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Security review, issue 17: a live event stream ends with its token (revoked, expired), and one
 * token cannot hold all the streams. Real HTTP on loopback, real SQLite store.
 */
class EventStreamSecurityIT {
  @TempDir Path dir;
  MatcherStore store;
  OperatorServer server;
  HttpTestClient http;
  ApiTokens tokens;
  final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  final List<HttpResponse<InputStream>> opened = new ArrayList<>();

  @BeforeEach
  void start() {
    store = new SqliteMatcherStore(dir.resolve("matcher.db"));
    AuditLog audit = AuditLog.open(store.audit(), AuditConfig.in(dir), clock);
    server =
        OperatorServer.start(
            HttpConfig.loopbackEphemeral(),
            new OperatorServer.Backend(
                store,
                new Watchlist(store, new ExactWatchlistIndex(), 0.45, clock, audit),
                new DeviceRegistry(clock),
                audit,
                l -> {},
                () -> Map.of("store", Health.ok()),
                null,
                FakeImageEmbedder::new,
                clock,
                new Oversight(store, audit, 2, clock, v -> {}),
                OversightConfig.defaults()));
    http = new HttpTestClient(server.url());
    tokens = new ApiTokens(store, clock);
  }

  @AfterEach
  void stop() throws Exception {
    for (HttpResponse<InputStream> r : opened) {
      r.body().close();
    }
    server.close();
    store.close();
  }

  /** Opens a stream and reads it to its end in the background; the future holds its lines. */
  private CompletableFuture<List<String>> follow(String secret, List<String> lines)
      throws Exception {
    HttpResponse<InputStream> r = open(secret);
    assertThat(r.statusCode()).isEqualTo(200);
    CompletableFuture<List<String>> done =
        CompletableFuture.supplyAsync(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  lines.add(line);
                }
              } catch (Exception e) {
                lines.add("! " + e);
              }
              return lines;
            });
    await().atMost(Duration.ofSeconds(10)).until(() -> lines.contains(": connected"));
    return done;
  }

  private HttpResponse<InputStream> open(String secret) throws Exception {
    HttpResponse<InputStream> r =
        http.client()
            .send(
                http.request("/api/events", secret).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
    opened.add(r);
    return r;
  }

  @Test
  void aRevokedTokensOpenStreamIsClosed() throws Exception {
    ApiTokens.Issued t = tokens.issue("vera", Role.VIEWER, "test", null);
    List<String> lines = new CopyOnWriteArrayList<>();
    CompletableFuture<List<String>> done = follow(t.secret(), lines);
    // As `edgecam token revoke` does, from another process: straight in the store.
    assertThat(tokens.revoke(t.token().id())).isTrue();
    await().atMost(Duration.ofSeconds(15)).until(done::isDone);
    assertThat(lines).contains("event: closed", "data: {\"reason\":\"token revoked\"}");
  }

  @Test
  void anExpiredTokensOpenStreamIsClosed() throws Exception {
    ApiTokens.Issued t = tokens.issue("vera", Role.VIEWER, "test", Duration.ofHours(1));
    List<String> lines = new CopyOnWriteArrayList<>();
    CompletableFuture<List<String>> done = follow(t.secret(), lines);
    clock.advance(Duration.ofHours(2));
    await().atMost(Duration.ofSeconds(15)).until(done::isDone);
    assertThat(lines).contains("event: closed", "data: {\"reason\":\"token expired\"}");
  }

  @Test
  void oneTokenCannotOpenMoreThanItsShareOfStreams() throws Exception {
    String vera = tokens.issue("vera", Role.VIEWER, "test", null).secret();
    for (int i = 0; i < EventStream.MAX_STREAMS_PER_TOKEN; i++) {
      assertThat(open(vera).statusCode()).as("stream %d", i + 1).isEqualTo(200);
    }
    HttpResponse<InputStream> refused = open(vera);
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(new String(refused.body().readAllBytes(), StandardCharsets.UTF_8))
        .contains("'vera' already has " + EventStream.MAX_STREAMS_PER_TOKEN);
    String otto = tokens.issue("otto", Role.VIEWER, "test", null).secret();
    assertThat(open(otto).statusCode()).isEqualTo(200);
  }
}
