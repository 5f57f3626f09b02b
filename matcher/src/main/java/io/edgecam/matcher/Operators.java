package io.edgecam.matcher;

import io.edgecam.face.pipeline.PipelineConfig;
import io.edgecam.face.pipeline.Precision;
import io.edgecam.matcher.alert.AlertDispatcher;
import io.edgecam.matcher.audit.AuditLog;
import io.edgecam.matcher.config.MatcherConfig;
import io.edgecam.matcher.config.TlsConfig;
import io.edgecam.matcher.device.DeviceRegistry;
import io.edgecam.matcher.enroll.PipelineImageEmbedder;
import io.edgecam.matcher.http.OperatorServer;
import io.edgecam.matcher.ingest.MqttCandidateIngest;
import io.edgecam.matcher.ingest.MqttStatusListener;
import io.edgecam.matcher.oversight.Oversight;
import io.edgecam.matcher.store.MatcherStore;
import io.edgecam.protocol.Health;
import io.edgecam.protocol.Topics;
import java.time.Clock;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The operators' side of a running matcher, started only when {@code http.enabled}: the device
 * status listener that feeds the {@link DeviceRegistry}, and the REST API + dashboard.
 */
final class Operators {
  private Operators() {}

  /**
   * Starts the status listener (always: device periods go into the usage log) and the HTTP server
   * when HTTP is on, pushing both on {@code resources} so that the matcher closes them first.
   *
   * @return the server, or null when HTTP is off
   */
  static @Nullable OperatorServer start(
      MatcherConfig config,
      String brokerUrl,
      @Nullable TlsConfig tls,
      DeviceRegistry devices,
      Deque<AutoCloseable> resources,
      MatcherStore store,
      Watchlist watchlist,
      AuditLog audit,
      AlertDispatcher alerts,
      Oversight oversight,
      MqttCandidateIngest ingest,
      @Nullable Supplier<String> metrics,
      Clock clock) {
    if (!config.http().enabled()) {
      // The status listener is a second connection (CLIENTID-status). A broker that makes the
      // certificate's name the client id (the shipped Mosquitto config: use_username_as_clientid)
      // gives both connections the same id, and they take each other's session over in a loop:
      // without the operator API there is nothing to show the devices to, so none is opened.
      // The usage log's device periods then come from the API-enabled matchers only.
      return null;
    }
    // The usage log records each device's online periods from these (issue 17.4).
    String statusFilter =
        config.site() == null
            ? Topics.ALL_STATUS
            : Topics.ROOT + "/" + config.site() + "/+/" + Topics.STATUS;
    resources.push(
        MqttStatusListener.start(
            brokerUrl, tls, config.clientId() + "-status", statusFilter, devices::onStatus));
    OperatorServer server =
        OperatorServer.start(
            config.http(),
            new OperatorServer.Backend(
                store,
                watchlist,
                devices,
                audit,
                listener -> alerts.addSink("http-events", listener),
                () -> health(ingest, store, watchlist),
                metrics,
                // The reference precision, as edgecam enroll uses (FACTS.md: float is the fast one
                // on x86 servers).
                () ->
                    PipelineImageEmbedder.open(
                        PipelineConfig.defaults().withPrecision(Precision.FLOAT)),
                clock,
                oversight,
                config.oversight()));
    resources.push(server);
    return server;
  }

  private static Map<String, Health> health(
      MqttCandidateIngest ingest, MatcherStore store, Watchlist watchlist) {
    Map<String, Health> h = new LinkedHashMap<>();
    h.put("broker", ingest.health());
    // Matching goes on; an operator must know that alerts are more likely false than configured.
    String warning = watchlist.operatingPoint().warning();
    h.put("operating-point", warning == null ? Health.ok() : Health.degraded(warning));
    try {
      store.schemaVersion();
      h.put("store", Health.ok());
    } catch (RuntimeException e) {
      h.put("store", Health.failed(e.getMessage()));
    }
    return h;
  }
}
