package io.edgecam.matcher.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import io.edgecam.matcher.audit.AuditAction;
import io.edgecam.matcher.audit.AuditLog;
import io.edgecam.matcher.auth.Role;
import io.edgecam.matcher.device.DeviceView;
import io.edgecam.matcher.oversight.AlertReviews;
import io.edgecam.protocol.Alert;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
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
 * and status threads never block on a slow browser. At most {@link #MAX_STREAMS} streams are open.
 */
final class EventStream implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventStream.class);
  static final int MAX_STREAMS = 64;
  private static final long KEEPALIVE_SECONDS = 15;

  private final List<HttpExchange> streams = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService writer;
  private final AuditLog audit;

  EventStream(AuditLog audit) {
    this.audit = audit;
    this.writer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "matcher-http-events");
              t.setDaemon(true);
              return t;
            });
    writer.scheduleWithFixedDelay(
        () -> broadcast(": keepalive\n\n"), KEEPALIVE_SECONDS, KEEPALIVE_SECONDS, TimeUnit.SECONDS);
  }

  void register(Router r) {
    r.add("GET", "/events", Role.VIEWER, this::open);
  }

  private void open(Call call) throws IOException {
    if (streams.size() >= MAX_STREAMS) {
      throw new ApiError(
          503, "unavailable", "too many open event streams (" + MAX_STREAMS + ")", null);
    }
    audit.append(
        call.actor(), AuditAction.ALERT_VIEW, "live", Map.of("stream", "alerts and devices"));
    HttpExchange ex = call.exchange();
    ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    ex.getResponseHeaders().set("X-Accel-Buffering", "no");
    ex.sendResponseHeaders(200, 0);
    call.detach();
    submit(
        () -> {
          if (write(ex, "retry: 3000\n: connected\n\n")) {
            streams.add(ex);
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
    for (HttpExchange ex : streams) {
      if (!write(ex, frame)) {
        streams.remove(ex);
      }
    }
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
    streams.forEach(HttpExchange::close);
    streams.clear();
  }
}
