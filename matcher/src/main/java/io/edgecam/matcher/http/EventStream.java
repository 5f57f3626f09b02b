package io.edgecam.matcher.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import io.edgecam.matcher.audit.AuditAction;
import io.edgecam.matcher.audit.AuditLog;
import io.edgecam.matcher.auth.ApiToken;
import io.edgecam.matcher.auth.ApiTokens;
import io.edgecam.matcher.auth.Role;
import io.edgecam.matcher.device.DeviceView;
import io.edgecam.matcher.oversight.AlertReviews;
import io.edgecam.protocol.Alert;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/events}: Server-Sent Events ({@code text/event-stream}) with every new alert
 * ({@code event: alert}), every review of an alert ({@code event: review}) and every device status
 * change ({@code event: device}), plus a comment line every 15 s that keeps proxies from closing
 * the stream and finds clients that left.
 *
 * <p>The handler thread only sends the headers and registers the stream; all writes happen on the
 * {@code matcher-http-events} thread, so the HTTP pool is not held by open streams and the alert
 * and status threads never block on a slow browser. At most {@link #MAX_STREAMS} streams are open,
 * at most {@link #MAX_STREAMS_PER_TOKEN} per token, so that one viewer cannot take them all.
 *
 * <p>A stream lives only as long as its token: before each frame the token's expiry is checked, and
 * every {@link #TOKEN_CHECK_SECONDS} s the tokens of the open streams are read again from the
 * store, so that a revocation (API or {@code edgecam token revoke} in another process) ends them.
 * The last frame is {@code event: closed} with the reason.
 */
final class EventStream implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventStream.class);
  static final int MAX_STREAMS = 64;
  static final int MAX_STREAMS_PER_TOKEN = 4;
  static final long TOKEN_CHECK_SECONDS = 2;
  private static final long KEEPALIVE_SECONDS = 15;

  /** An open stream and the token that opened it (as it was then, or at the last check). */
  private record Open(HttpExchange exchange, ApiToken token) {}

  /** Streams being written to, on the writer thread. */
  private final List<Open> streams = new CopyOnWriteArrayList<>();

  /** Streams counted against the limits: those being opened and those in {@link #streams}. */
  private final List<Open> reserved = new CopyOnWriteArrayList<>();

  private final ScheduledExecutorService writer;
  private final AuditLog audit;
  private final ApiTokens tokens;
  private final Clock clock;

  EventStream(AuditLog audit, ApiTokens tokens, Clock clock) {
    this.audit = audit;
    this.tokens = tokens;
    this.clock = clock;
    this.writer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "matcher-http-events");
              t.setDaemon(true);
              return t;
            });
    writer.scheduleWithFixedDelay(
        () -> broadcast(": keepalive\n\n"), KEEPALIVE_SECONDS, KEEPALIVE_SECONDS, TimeUnit.SECONDS);
    writer.scheduleWithFixedDelay(
        this::recheckTokens, TOKEN_CHECK_SECONDS, TOKEN_CHECK_SECONDS, TimeUnit.SECONDS);
  }

  void register(Router r) {
    r.add("GET", "/events", Role.VIEWER, this::open);
  }

  private void open(Call call) throws IOException {
    HttpExchange ex = call.exchange();
    Open open = new Open(ex, call.token());
    synchronized (reserved) { // check and add as one step, or two opens could pass the limits
      if (reserved.size() >= MAX_STREAMS) {
        throw new ApiError(
            503, "unavailable", "too many open event streams (" + MAX_STREAMS + ")", null);
      }
      String tokenId = call.token().id();
      if (reserved.stream().filter(o -> o.token().id().equals(tokenId)).count()
          >= MAX_STREAMS_PER_TOKEN) {
        throw new ApiError(
            429,
            "too_many_streams",
            "the token '"
                + call.token().name()
                + "' already has "
                + MAX_STREAMS_PER_TOKEN
                + " open event streams; close one first",
            null);
      }
      reserved.add(open);
    }
    try {
      audit.append(
          call.actor(), AuditAction.ALERT_VIEW, "live", Map.of("stream", "alerts and devices"));
      ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
      ex.getResponseHeaders().set("X-Accel-Buffering", "no");
      ex.sendResponseHeaders(200, 0);
    } catch (IOException | RuntimeException e) {
      reserved.remove(open);
      throw e;
    }
    call.detach();
    submit(
        () -> {
          if (write(ex, "retry: 3000\n: connected\n\n")) {
            streams.add(open);
          } else {
            reserved.remove(open);
          }
        });
  }

  /** Queues an alert for every open stream; never blocks. */
  void alert(Alert a) {
    publish("alert", a.id(), Views.alert(a));
  }

  /** Queues an alert's new review state for every open stream; never blocks. */
  void review(AlertReviews r, int needed) {
    publish("review", r.alertId() + "/" + r.reviews().size(), Views.review(r, needed));
  }

  /** Queues a device change for every open stream; never blocks. */
  void device(DeviceView d) {
    publish("device", d.site() + "/" + d.device(), Views.device(d));
  }

  private void publish(String event, String id, JsonNode data) {
    String frame =
        "event: "
            + event
            + "\nid: "
            + id
            + "\ndata: "
            + new String(Json.bytes(data), StandardCharsets.UTF_8)
            + "\n\n";
    submit(() -> broadcast(frame));
  }

  private void submit(Runnable task) {
    try {
      writer.execute(task);
    } catch (RejectedExecutionException e) {
      // closing
    }
  }

  private void broadcast(String frame) {
    Instant now = clock.instant();
    for (Open o : streams) {
      if (!o.token().isActiveAt(now)) {
        end(o, "token expired");
      } else if (!write(o.exchange(), frame)) {
        streams.remove(o);
        reserved.remove(o);
      }
    }
  }

  /** Reads the open streams' tokens again: a revocation may come from another process. */
  private void recheckTokens() {
    if (streams.isEmpty()) {
      return;
    }
    Map<String, ApiToken> current = new HashMap<>();
    try {
      tokens.list().forEach(t -> current.put(t.id(), t));
    } catch (RuntimeException e) {
      log.warn("Cannot re-check the tokens of open event streams: {}", e.getMessage());
      return;
    }
    Instant now = clock.instant();
    for (Open o : streams) {
      ApiToken t = current.get(o.token().id());
      if (t == null || t.revokedAt() != null) {
        end(o, "token revoked");
      } else if (!t.isActiveAt(now)) {
        end(o, "token expired");
      }
    }
  }

  private void end(Open o, String reason) {
    streams.remove(o);
    reserved.remove(o);
    log.info("Closing the event stream of token {}: {}", o.token().id(), reason);
    write(o.exchange(), "event: closed\ndata: {\"reason\":\"" + reason + "\"}\n\n");
    o.exchange().close();
  }

  private static boolean write(HttpExchange ex, String frame) {
    try {
      OutputStream out = ex.getResponseBody();
      out.write(frame.getBytes(StandardCharsets.UTF_8));
      out.flush();
      return true;
    } catch (IOException e) {
      log.debug("Event stream to {} closed: {}", ex.getRemoteAddress(), e.getMessage());
      ex.close();
      return false;
    }
  }

  /** Open streams (for tests and health). */
  int streamCount() {
    return streams.size();
  }

  @Override
  public void close() {
    writer.shutdownNow();
    try {
      writer.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    streams.forEach(o -> o.exchange().close());
    streams.clear();
    reserved.clear();
  }
}
