package io.edgecam.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgecam.protocol.EdgecamException;
import io.edgecam.protocol.Health;
import io.edgecam.runtime.metrics.MetricsConfig;
import io.edgecam.runtime.metrics.MetricsEndpoint;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The endpoint on a real loopback socket. */
class MetricsEndpointIT {
  private final HttpClient http = HttpClient.newHttpClient();
  private final Map<String, Health> health = new LinkedHashMap<>();

  private HttpResponse<String> send(int port, String method, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesCountersThatMoveAndHealthThatTurnsUnavailableWhenAComponentFails() throws Exception {
    AgentMetrics metrics =
        new AgentMetrics(
            new AgentMetrics.Sources(
                () -> 3, () -> 2, () -> 1, () -> 0, () -> 1, () -> 4, () -> 5));
    metrics.inference(2_000_000);
    metrics.connected();
    metrics.connected();
    health.put("camera", Health.ok());
    health.put("broker", Health.degraded("reconnecting \"x\""));
    try (MetricsEndpoint e =
        MetricsEndpoint.start(MetricsConfig.localhostAnyPort(), metrics::scrape, () -> health)) {
      HttpResponse<String> m = send(e.port(), "GET", "/metrics");
      assertThat(m.statusCode()).isEqualTo(200);
      assertThat(m.headers().firstValue("Content-Type"))
          .hasValue("text/plain; version=0.0.4; charset=utf-8");
      assertThat(m.body())
          .contains("edgecam_agent_frames_total 3.0")
          .contains("edgecam_agent_spool_depth 4.0")
          .contains("edgecam_agent_spool_dropped_total 5.0")
          .contains("edgecam_agent_reconnects_total 1.0")
          .contains("edgecam_agent_inference_seconds_count 1")
          .contains("edgecam_agent_inference_seconds_sum 0.002");
      HttpResponse<String> h = send(e.port(), "GET", "/health");
      assertThat(h.statusCode()).isEqualTo(200);
      assertThat(h.body())
          .isEqualTo(
              "{\"status\":\"DEGRADED\",\"components\":{\"camera\":{\"status\":\"OK\",\"reason\":\"\"},"
                  + "\"broker\":{\"status\":\"DEGRADED\",\"reason\":\"reconnecting \\\"x\\\"\"}}}");
      health.put("model", Health.failed("model missing"));
      assertThat(send(e.port(), "GET", "/health").statusCode()).isEqualTo(503);
      assertThat(send(e.port(), "POST", "/metrics").statusCode()).isEqualTo(405);
      assertThat(send(e.port(), "GET", "/metrics/x").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void aTakenPortIsAClearError() {
    try (MetricsEndpoint first =
        MetricsEndpoint.start(MetricsConfig.localhostAnyPort(), () -> "", Map::of)) {
      MetricsConfig same = new MetricsConfig(true, "127.0.0.1", first.port());
      assertThatThrownBy(() -> MetricsEndpoint.start(same, () -> "", Map::of))
          .isInstanceOf(EdgecamException.class)
          .hasMessageContaining("metrics: cannot listen on 127.0.0.1:" + first.port());
    }
  }
}
