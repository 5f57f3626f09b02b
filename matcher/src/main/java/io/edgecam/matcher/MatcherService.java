package io.edgecam.matcher;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgecam.matcher.alert.AlertDispatcher;
import io.edgecam.matcher.alert.VerifiedAlert;
import io.edgecam.matcher.alert.WebhookAlertSink;
import io.edgecam.matcher.audit.AuditLog;
import io.edgecam.matcher.broker.EmbeddedBroker;
import io.edgecam.matcher.calibration.OperatingPoint;
import io.edgecam.matcher.config.ConfigException;
import io.edgecam.matcher.config.MatcherConfig;
import io.edgecam.matcher.config.OversightConfig;
import io.edgecam.matcher.config.TlsConfig;
import io.edgecam.matcher.device.DeviceRegistry;
import io.edgecam.matcher.http.OperatorServer;
import io.edgecam.matcher.index.WatchlistIndex;
import io.edgecam.matcher.ingest.CandidateProcessor;
import io.edgecam.matcher.ingest.IngestCounters;
import io.edgecam.matcher.ingest.MqttCandidateIngest;
import io.edgecam.matcher.ingest.RevokedIds;
import io.edgecam.matcher.metrics.MatcherMetrics;
import io.edgecam.matcher.oversight.AlertReviews;
import io.edgecam.matcher.oversight.Oversight;
import io.edgecam.matcher.retention.Retention;
import io.edgecam.matcher.store.MatcherStore;
import io.edgecam.protocol.Alert;
import io.edgecam.protocol.Health;
import io.edgecam.protocol.JsonMessages;
import io.edgecam.protocol.Topics;
import io.edgecam.protocol.seal.CandidateOpener;
import io.edgecam.runtime.metrics.MetricsEndpoint;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running matcher: optional embedded broker, store, watchlist, MQTT ingest and alert delivery,
 * started together and closed together (in reverse order). What {@code ./edgecam matcher} runs and
 * what the demo embeds:
 *
 * <pre>{@code
 * try (MatcherService m = MatcherService.start(MatcherConfig.embeddedIn(dir))) {
 *   m.addAlertListener(alert -> System.out.println(alert.label()));
 *   m.watchlist().enroll(entry);
 *   // agents publish to m.brokerUrl() ...
 *   m.counters();   // received, malformed, duplicates, matched, discarded
 * }
 * }</pre>
 *
 * Threads: Paho's callback thread runs ingest; {@code matcher-alerts} delivers alerts (MQTT,
 * listeners) and verified alerts (webhook, {@code edgecam/v1/alerts/verified}); {@code
 * matcher-watchlist} purges expired entries and picks up enrollments made by other processes every
 * 10 s. Thread-safe.
 */
public final class MatcherService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MatcherService.class);
  private static final long REFRESH_PERIOD_SECONDS = 10;
  private static final String MQTT_SINK = "mqtt";
  private static final long RETRY_AFTER_MILLIS = 30_000;
  private static final long RETENTION_FIRST_DELAY_MINUTES = 1;

  private final Deque<AutoCloseable> resources;
  private final @Nullable EmbeddedBroker broker;
  private final String brokerUrl;
  private final MatcherStore store;
  private final Watchlist watchlist;
  private final AlertDispatcher alerts;
  private final IngestCounters counters;
  private final MqttCandidateIngest ingest;
  private final String filter;
  // systemd watchdog (issue 6): the housekeeping thread's last round, read by MatcherLiveness.
  private final AtomicLong housekeepingNanos;
  private final Accountability accountability;
  private final DeviceRegistry devices;
  private final @Nullable OperatorServer http;
  private final CandidateProcessor processor;
  private final Oversight oversight;

  private MatcherService(
      Deque<AutoCloseable> resources,
      @Nullable EmbeddedBroker broker,
      String brokerUrl,
      MatcherStore store,
      Watchlist watchlist,
      AlertDispatcher alerts,
      IngestCounters counters,
      MqttCandidateIngest ingest,
      String filter,
      AtomicLong housekeepingNanos,
      Accountability accountability,
      DeviceRegistry devices,
      @Nullable OperatorServer http,
      CandidateProcessor processor,
      Oversight oversight) {
    this.resources = resources;
    this.broker = broker;
    this.brokerUrl = brokerUrl;
    this.store = store;
    this.watchlist = watchlist;
    this.alerts = alerts;
    this.counters = counters;
    this.ingest = ingest;
    this.filter = filter;
    this.housekeepingNanos = housekeepingNanos;
    this.accountability = accountability;
    this.devices = devices;
    this.http = http;
    this.processor = processor;
    this.oversight = oversight;
  }

  /** Starts a matcher with the system clock. */
  public static MatcherService start(MatcherConfig config) {
    return start(config, Clock.systemUTC());
  }

  /**
   * Starts every part and returns once the matcher is subscribed.
   *
   * @param clock time for match decisions and expiry (tests move it)
   * @throws io.edgecam.protocol.EdgecamException if a part cannot start; the parts already started
   *     are closed again
   */
  public static MatcherService start(MatcherConfig config, Clock clock) {
    Deque<AutoCloseable> resources = new ArrayDeque<>();
    try {
      EmbeddedBroker broker = null;
      String url;
      TlsConfig tls = null;
      if (config.broker().embedded() != null) {
        broker = push(resources, EmbeddedBroker.start(config.broker().embedded()));
        url = broker.url();
      } else {
        url = config.broker().external().url();
        tls = config.broker().external().tls();
      }
      MatcherStore store = push(resources, MatcherStore.open(config.store(), config.clientId()));
      AuditLog audit = AuditLog.open(store.audit(), config.audit(), clock);
      WatchlistIndex index = push(resources, WatchlistIndex.create(config.index()));
      Watchlist watchlist =
          new Watchlist(
              store, index, config.thresholds().policy(), clock, audit, config.watchlist());
      checkOperatingPoint(config, watchlist.operatingPoint());
      AlertDispatcher alerts = new AlertDispatcher(AlertDispatcher.DEFAULT_CAPACITY);
      if (config.alertWebhook() != null) {
        // An action sink: only alerts that enough persons verified reach it (Oversight).
        alerts.addActionSink("webhook", new WebhookAlertSink(config.alertWebhook()));
      }
      IngestCounters counters = new IngestCounters();
      CandidateOpener opener =
          config.sealing() == null ? CandidateOpener.plainOnly() : config.sealing().opener();
      if (config.sealing() != null) {
        log.info(
            "sealed candidates: opening with key(s) {}; plain candidates {}",
            String.join(", ", opener.keyIds()),
            config.sealing().required() ? "refused" : "accepted");
      }
      Predicate<String> revoked = device -> false;
      if (config.broker().external() != null && config.broker().external().revocation() != null) {
        revoked = RevokedIds.load(config.broker().external().revocation(), clock);
      }
      MatcherMetrics metrics =
          new MatcherMetrics(counters, () -> watchlist.size(), alerts::dropped);
      metrics.operatingPoint(watchlist::operatingPoint);
      CandidateProcessor processor =
          new CandidateProcessor(
              watchlist,
              Accountability.audited(store, audit),
              alerts::dispatch,
              counters,
              clock,
              opener,
              revoked);
      MqttCandidateIngest ingest;
      try {
        ingest =
            push(
                resources,
                MqttCandidateIngest.start(
                    url,
                    tls,
                    config.clientId(),
                    config.candidatesFilter(),
                    config.sessionExpirySeconds(),
                    metrics.timed(processor)));
      } catch (RuntimeException e) {
        alerts.close();
        throw e;
      }
      // Closed before ingest, so queued alerts still reach MQTT on shutdown.
      resources.push(alerts);
      // Added first so MQTT consumers see an alert no later than in-process listeners.
      alerts.addSink(
          MQTT_SINK,
          a -> {
            ingest.publish(Topics.ALERTS, JsonMessages.encode(a));
            store.markPublished(a.id());
          });
      alerts.addSink("metrics", a -> metrics.alert());
      alerts.addActionSink("mqtt-verified", v -> ingest.publish(Topics.VERIFIED_ALERTS, v.json()));
      Oversight oversight =
          new Oversight(
              store, audit, config.oversight().confirmations(), clock, alerts::dispatchVerified);
      alerts.onActionsDelivered(v -> store.markActionSent(v.alert().id()));
      // The outbox: alerts stored by an earlier run of this matcher whose PUBACK never came (crash,
      // broker down), and those of other matchers whose claim expired (they died).
      republish(store, alerts, clock.millis(), Long.MAX_VALUE);
      // A stopped matcher leaves no operating point behind: the retained status is cleared on a
      // clean stop (closed after the housekeeping thread that publishes it, before ingest).
      String statusTopic = Topics.matcherStatus(config.clientId());
      resources.push(() -> clearStatusQuietly(ingest, statusTopic));
      ScheduledExecutorService purge =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "matcher-watchlist");
                t.setDaemon(true);
                return t;
              });
      resources.push(purge::shutdownNow);
      watchlist.addOperatingPointListener(
          op -> {
            try {
              purge.execute(() -> publishStatusQuietly(ingest, statusTopic, op, clock));
            } catch (RejectedExecutionException e) {
              log.debug("Matcher stopping: operating point not published");
            }
          });
      purge.execute(
          () -> publishStatusQuietly(ingest, statusTopic, watchlist.operatingPoint(), clock));
      AtomicLong housekeepingNanos = new AtomicLong(System.nanoTime());
      purge.scheduleWithFixedDelay(
          () -> {
            refreshQuietly(watchlist);
            housekeepingNanos.set(System.nanoTime());
            // Alerts whose publish failed in this run (broker down) are retried once the queue is
            // idle; so are those a dead matcher left behind, once their claim expired.
            if (alerts.idle()) {
              long now = clock.millis();
              republishQuietly(store, alerts, now, now - RETRY_AFTER_MILLIS);
              redeliverVerifiedQuietly(store, alerts, now - RETRY_AFTER_MILLIS);
            }
          },
          REFRESH_PERIOD_SECONDS,
          REFRESH_PERIOD_SECONDS,
          TimeUnit.SECONDS);
      Retention retention = new Retention(store, audit, config.retention(), clock);
      // First run a minute after start: the start stays light and the outbox above is sent first.
      purge.scheduleWithFixedDelay(
          () -> Accountability.purgeQuietly(retention),
          RETENTION_FIRST_DELAY_MINUTES,
          config.retention().purgeIntervalMinutes(),
          TimeUnit.MINUTES);
      MetricsEndpoint endpoint = null;
      if (config.metrics().enabled()) {
        endpoint =
            push(
                resources,
                MetricsEndpoint.start(
                    config.metrics(), metrics::scrape, () -> Map.of("broker", ingest.health())));
      }
      Accountability.recordStart(audit, config, url);
      // Closed before the store (resources close last-in first-out): flush, then matcher.stop.
      UsageRecorder usage = push(resources, new UsageRecorder(audit, clock, config.clientId()));
      processor.addListener(usage::handled);
      purge.scheduleWithFixedDelay(
          usage::flush, UsageRecorder.FLUSH_MINUTES, UsageRecorder.FLUSH_MINUTES, TimeUnit.MINUTES);
      DeviceRegistry devices = new DeviceRegistry(clock, revoked);
      devices.addListener(usage::device);
      OperatorServer http =
          Operators.start(
              config,
              url,
              tls,
              devices,
              resources,
              store,
              watchlist,
              audit,
              alerts,
              oversight,
              ingest,
              metrics::scrape,
              clock);
      log.info(
          "Matcher running: broker {}, {}, {} watchlist entries; operating point: {}",
          url,
          store,
          watchlist.size(),
          watchlist.operatingPoint().describe());
      if (config.oversight().confirmations() < OversightConfig.DEFAULT_CONFIRMATIONS) {
        log.warn(
            "Human oversight lowered: oversight.confirmations is {}, so {} person's confirmation"
                + " verifies an alert and sends it to the webhook and {} (the default, and the EU"
                + " AI Act for remote biometric identification, is {} different persons)",
            config.oversight().confirmations(),
            config.oversight().confirmations(),
            Topics.VERIFIED_ALERTS,
            OversightConfig.DEFAULT_CONFIRMATIONS);
      } else {
        log.info(
            "Human oversight: an alert is verified, and sent to the action sinks, after {}"
                + " different persons confirmed it",
            config.oversight().confirmations());
      }
      return new MatcherService(
          resources,
          broker,
          url,
          store,
          watchlist,
          alerts,
          counters,
          ingest,
          config.candidatesFilter(),
          housekeepingNanos,
          new Accountability(audit, metrics, retention, endpoint),
          devices,
          http,
          processor,
          oversight);
    } catch (RuntimeException e) {
      closeAll(resources);
      throw e;
    }
  }

  /**
   * Refuses a fixed threshold whose expected false alarms per stranger exceed the target, unless
   * allowed; warns when allowed or when the calibration cannot support the target.
   *
   * @throws ConfigException naming the keys and both rates
   */
  static void checkOperatingPoint(MatcherConfig config, OperatingPoint op) {
    if (op.supported()) {
      return;
    }
    if ("fixed".equals(op.mode()) && !config.thresholds().allowHighFalseAlarms()) {
      throw new ConfigException(
          op.warning()
              + " ("
              + op.describe()
              + "): raise thresholds.global, remove it to calibrate the threshold to the list size,"
              + " or set thresholds.allowHighFalseAlarms: true");
    }
    log.warn("{}; {}", op.warning(), op.describe());
  }

  private static void publishStatusQuietly(
      MqttCandidateIngest ingest, String topic, OperatingPoint op, Clock clock) {
    try {
      ObjectNode status = JsonNodeFactory.instance.objectNode();
      status.put("v", 1);
      status.put("time", clock.instant().toString());
      status.set("operatingPoint", op.toJson());
      ingest.publishRetained(topic, status.toString().getBytes(StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      log.warn("Publishing the matcher status on {} failed: {}", topic, e.getMessage());
    }
  }

  private static void clearStatusQuietly(MqttCandidateIngest ingest, String topic) {
    try {
      ingest.publishRetained(topic, new byte[0]);
    } catch (RuntimeException e) {
      log.debug("Clearing the matcher status on {} failed: {}", topic, e.getMessage());
    }
  }

  private static <T extends AutoCloseable> T push(Deque<AutoCloseable> resources, T resource) {
    resources.push(resource);
    return resource;
  }

  private static void republish(
      MatcherStore store, AlertDispatcher alerts, long nowMillis, long ownBeforeMillis) {
    List<Alert> pending =
        store.claimUnpublished(AlertDispatcher.DEFAULT_CAPACITY / 2, nowMillis, ownBeforeMillis);
    if (!pending.isEmpty()) {
      log.info("Publishing {} stored alerts the broker has not acknowledged yet", pending.size());
      pending.forEach(a -> alerts.dispatchTo(MQTT_SINK, a));
    }
  }

  private static void republishQuietly(
      MatcherStore store, AlertDispatcher alerts, long nowMillis, long ownBeforeMillis) {
    try {
      republish(store, alerts, nowMillis, ownBeforeMillis);
    } catch (RuntimeException e) {
      log.warn("Republishing unacknowledged alerts failed: {}", e.getMessage());
    }
  }

  /**
   * Verified alerts whose webhook or verified-topic delivery failed (or that a stopped matcher
   * verified but never delivered) go to the action sinks again: at least once, so receivers
   * recognise a repeat by the alert id.
   */
  private static void redeliverVerifiedQuietly(
      MatcherStore store, AlertDispatcher alerts, long verifiedBeforeMillis) {
    try {
      for (Alert a :
          store.unsentVerified(AlertDispatcher.DEFAULT_CAPACITY / 2, verifiedBeforeMillis)) {
        AlertReviews r = store.reviews(a.id());
        if (r != null && !r.reviews().isEmpty()) {
          alerts.dispatchVerified(
              new VerifiedAlert(a, r.confirmedBy(), r.reviews().get(r.reviews().size() - 1).at()));
        }
      }
    } catch (RuntimeException e) {
      log.warn("Redelivering verified alerts failed: {}", e.getMessage());
    }
  }

  private static void refreshQuietly(Watchlist watchlist) {
    try {
      watchlist.refresh();
    } catch (RuntimeException e) {
      log.warn("Refreshing the watchlist failed: {}", e.getMessage());
    }
  }

  /** URL of the broker the matcher is subscribed to (the embedded one's, if embedded). */
  public String brokerUrl() {
    return brokerUrl;
  }

  /** The embedded broker, or null when the matcher uses an external one. */
  public @Nullable EmbeddedBroker embeddedBroker() {
    return broker;
  }

  /** The live watchlist, to enroll and remove entries programmatically. */
  public Watchlist watchlist() {
    return watchlist;
  }

  /**
   * Adds a listener that receives every new alert, on the {@code matcher-alerts} thread, after the
   * alert was stored and published on {@code edgecam/v1/alerts}. Must not block for long.
   */
  public void addAlertListener(Consumer<Alert> listener) {
    alerts.addSink("listener", listener);
  }

  /**
   * Adds an action sink: it receives only alerts that {@code oversight.confirmations} different
   * persons confirmed, on the {@code matcher-alerts} thread. Must not block for long.
   */
  public void addVerifiedListener(Consumer<VerifiedAlert> listener) {
    alerts.addActionSink("verified-listener", listener);
  }

  /** Human verification of alerts: confirm, reject, the state of each. */
  public Oversight oversight() {
    return oversight;
  }

  /**
   * Adds a listener told of each decision on a well-formed candidate (device, sequence, outcome),
   * on the ingest thread. Must not block.
   */
  public void addCandidateListener(Consumer<CandidateProcessor.Handled> listener) {
    processor.addListener(listener);
  }

  /** Ingest counters: received, malformed (by reason), duplicates, matched, discarded. */
  public IngestCounters.Snapshot counters() {
    return counters.snapshot();
  }

  /** Stored alerts, newest first. */
  public List<Alert> storedAlerts(int limit) {
    return store.alerts(limit);
  }

  /** The candidates topic filter the matcher is subscribed to. */
  public String candidatesFilter() {
    return filter;
  }

  /**
   * {@link System#nanoTime()} when the {@code matcher-watchlist} thread last finished a round
   * (every 10 s; it reads the store), or of the start: the systemd watchdog's sign of life.
   */
  public long housekeepingNanos() {
    return housekeepingNanos.get();
  }

  /** The audit log: append logins, views and exports; read pages for the audit view. */
  public AuditLog audit() {
    return accountability.audit();
  }

  /** Prometheus metrics; {@link MatcherMetrics#scrape()} is the {@code /metrics} body. */
  public MatcherMetrics metrics() {
    return accountability.metrics();
  }

  /** Port of the standalone {@code /metrics} endpoint, or -1 when it is off. */
  public int metricsPort() {
    MetricsEndpoint e = accountability.endpoint();
    return e == null ? -1 : e.port();
  }

  /** The retention policy, applied on schedule; call it to purge now. */
  public Retention retention() {
    return accountability.retention();
  }

  /** The fleet as the status topics tell it (followed only while the HTTP server is on). */
  public DeviceRegistry devices() {
    return devices;
  }

  /** The operators' REST API and dashboard, or null when {@code http.enabled} is off. */
  public @Nullable OperatorServer http() {
    return http;
  }

  /** Health of the broker link. */
  public Health health() {
    return ingest.health();
  }

  /** Stops ingest, delivers queued alerts, closes the store and stops the embedded broker. */
  @Override
  public void close() {
    closeAll(resources);
    log.info("Matcher stopped");
  }

  private static void closeAll(Deque<AutoCloseable> resources) {
    while (!resources.isEmpty()) {
      AutoCloseable r = resources.pop();
      try {
        r.close();
      } catch (Exception e) {
        log.warn("Closing {} failed: {}", r, e.getMessage());
      }
    }
  }
}
