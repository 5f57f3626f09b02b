package io.edgecam.matcher.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.edgecam.protocol.Ids;
import io.edgecam.protocol.Topics;
import io.edgecam.runtime.metrics.MetricsConfig;
import java.net.URI;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Everything the matcher needs, bound from one YAML file ({@code device-config/matcher.yaml}
 * documents every key). Every default is filled here. Immutable.
 *
 * @param broker embedded or external MQTT broker
 * @param store SQLite file or PostgreSQL URL
 * @param thresholds match thresholds
 * @param clientId MQTT client id; stable across restarts so that the broker keeps the session
 * @param alertWebhook URL that receives every verified alert (see {@code oversight}) as a JSON
 *     POST, or null
 * @param sharedSubscription subscribe with the shared subscription ({@code $share/matchers/...}) so
 *     that N matchers split the load (default with an external broker); false (default with the
 *     embedded broker) subscribes to every device's candidates alone, which Mosquitto 2.0 keeps
 *     across a broker restart while it drops shared ones (docs/matcher.md, "Broker restarts")
 * @param site only this site's candidates ({@code edgecam/v1/{site}/+/candidates}), or null for
 *     every site
 * @param sessionExpirySeconds how long the broker keeps the matcher's session (subscription and
 *     queued candidates) while it is away; default one week, 0 = none (the demo on a real broker)
 * @param sealing private keys for sealed candidates, or null: sealed candidates are then rejected
 * @param audit the audit log's key and head checkpoint files
 * @param retention how long matches are kept
 * @param metrics the standalone Prometheus endpoint (off by default; the REST server mounts the
 *     same registry when it runs)
 * @param http the operators' REST API and web dashboard; off by default
 * @param index exact or approximate (sign bits or HNSW) search, chosen by watchlist size
 * @param watchlist limits on enrollment: maximum retention, minimum legal basis
 * @param oversight human verification of alerts: how many persons must confirm one before it goes
 *     to the action sinks (webhook, {@code edgecam/v1/alerts/verified}), camera playback links
 */
public record MatcherConfig(
    BrokerConfig broker,
    StoreConfig store,
    ThresholdConfig thresholds,
    String clientId,
    @Nullable URI alertWebhook,
    boolean sharedSubscription,
    @Nullable String site,
    long sessionExpirySeconds,
    @Nullable SealingConfig sealing,
    AuditConfig audit,
    RetentionConfig retention,
    MetricsConfig metrics,
    HttpConfig http,
    IndexConfig index,
    WatchlistConfig watchlist,
    OversightConfig oversight) {

  public static final long DEFAULT_SESSION_EXPIRY_SECONDS = 7L * 24 * 3600;
  public static final String DEFAULT_CLIENT_ID = "edgecam-matcher";

  /** Binds the YAML form, filling defaults for missing keys. */
  @JsonCreator
  public static MatcherConfig fromYaml(
      @JsonProperty("broker") @Nullable BrokerConfig broker,
      @JsonProperty("store") @Nullable StoreConfig store,
      @JsonProperty("thresholds") @Nullable ThresholdConfig thresholds,
      @JsonProperty("clientId") @Nullable String clientId,
      @JsonProperty("alertWebhook") @Nullable URI alertWebhook,
      @JsonProperty("sharedSubscription") @Nullable Boolean sharedSubscription,
      @JsonProperty("site") @Nullable String site,
      @JsonProperty("sessionExpirySeconds") @Nullable Long sessionExpirySeconds,
      @JsonProperty("sealing") @Nullable SealingConfig sealing,
      @JsonProperty("audit") @Nullable AuditConfig audit,
      @JsonProperty("retention") @Nullable RetentionConfig retention,
      @JsonProperty("metrics") @Nullable MetricsConfig metrics,
      @JsonProperty("http") @Nullable HttpConfig http,
      @JsonProperty("index") @Nullable IndexConfig index,
      @JsonProperty("watchlist") @Nullable WatchlistConfig watchlist,
      @JsonProperty("oversight") @Nullable OversightConfig oversight) {
    BrokerConfig b = broker == null ? BrokerConfig.defaults() : broker;
    return new MatcherConfig(
        b,
        store == null ? StoreConfig.sqlite(StoreConfig.DEFAULT_SQLITE) : store,
        thresholds == null ? ThresholdConfig.defaults() : thresholds,
        clientId == null ? DEFAULT_CLIENT_ID : clientId,
        alertWebhook,
        // Shared by default on an external broker (N matchers); plain on the embedded one, which
        // serves this matcher alone (and HiveMQ CE can stall shared-subscription delivery to a
        // client that subscribes right after connecting).
        sharedSubscription == null ? b.external() != null : sharedSubscription,
        site,
        sessionExpirySeconds == null ? DEFAULT_SESSION_EXPIRY_SECONDS : sessionExpirySeconds,
        sealing,
        audit == null ? AuditConfig.fromYaml(null, null) : audit,
        retention == null ? RetentionConfig.defaults() : retention,
        metrics == null ? MetricsConfig.off() : metrics,
        http == null ? HttpConfig.disabled() : http,
        index == null ? IndexConfig.defaults() : index,
        watchlist == null ? WatchlistConfig.defaults() : watchlist,
        oversight == null ? OversightConfig.defaults() : oversight);
  }

  public MatcherConfig {
    if (broker == null || store == null || thresholds == null || index == null) {
      throw new IllegalArgumentException("broker, store, thresholds and index must not be null");
    }
    if (oversight == null) {
      throw new IllegalArgumentException("oversight must not be null");
    }
    if (audit == null || retention == null || metrics == null || http == null) {
      throw new IllegalArgumentException("audit, retention, metrics and http must not be null");
    }
    if (watchlist == null) {
      throw new IllegalArgumentException("watchlist must not be null");
    }
    if (clientId == null || !clientId.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new IllegalArgumentException(
          "clientId must be 1-64 characters of [A-Za-z0-9._-], was "
              + (clientId == null ? "null" : "'" + clientId + "'"));
    }
    if (site != null) {
      Ids.require("site", site);
    }
    if (sessionExpirySeconds < 0 || sessionExpirySeconds > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException(
          "sessionExpirySeconds must be in 0..4294967295, was " + sessionExpirySeconds);
    }
    if (alertWebhook != null
        && !("http".equals(alertWebhook.getScheme()) || "https".equals(alertWebhook.getScheme()))) {
      throw new IllegalArgumentException(
          "alertWebhook must be an http(s) URL, was '" + alertWebhook + "'");
    }
  }

  /**
   * Reads a YAML config file. Relative paths in it are resolved against the file's folder.
   *
   * @throws ConfigException naming the file and the key for unknown keys, bad values and invalid
   *     combinations
   */
  public static MatcherConfig load(Path file) {
    MatcherConfig raw = YamlConfigReader.read(file, MatcherConfig.class);
    Path base = file.toAbsolutePath().getParent();
    MatcherConfig config = base == null ? raw : raw.resolvePaths(base);
    String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
    try {
      config.thresholds().policy(); // the calibration must be readable now, not at start
    } catch (ConfigException e) {
      throw new ConfigException(name + ": " + e.getMessage(), e);
    }
    if (config.sealing() != null) {
      try {
        config.sealing().opener(); // the keys must be readable now, not at the first candidate
      } catch (ConfigException e) {
        throw new ConfigException(name + ": " + e.getMessage(), e);
      }
    }
    return config;
  }

  private MatcherConfig resolvePaths(Path base) {
    BrokerConfig b = broker;
    if (b.embedded() != null) {
      EmbeddedBrokerConfig e = b.embedded();
      b =
          BrokerConfig.embedded(
              new EmbeddedBrokerConfig(
                  e.port(),
                  e.bindAddress(),
                  base.resolve(e.dataDir()),
                  e.tls() == null ? null : e.tls().resolve(base)));
    } else if (b.external() != null) {
      ExternalBrokerConfig x = b.external();
      TlsConfig t = x.tls();
      b =
          new BrokerConfig(
              null,
              new ExternalBrokerConfig(
                  x.url(),
                  t == null
                      ? null
                      : new TlsConfig(
                          base.resolve(t.trustStore()),
                          t.trustStorePassword(),
                          t.keyStore() == null ? null : base.resolve(t.keyStore()),
                          t.keyStorePassword()),
                  x.revocation() == null ? null : x.revocation().resolve(base)));
    }
    StoreConfig s =
        store.sqlite() == null ? store : StoreConfig.sqlite(base.resolve(store.sqlite()));
    return new MatcherConfig(
        b,
        s,
        thresholds.resolve(base),
        clientId,
        alertWebhook,
        sharedSubscription,
        site,
        sessionExpirySeconds,
        sealing == null ? null : sealing.resolve(base),
        audit.resolve(base),
        retention,
        metrics,
        http.resolvePaths(base),
        index,
        watchlist,
        oversight);
  }

  /**
   * A configuration for tests and the demo: embedded broker on a free port with its data under
   * {@code dir/broker}, SQLite store {@code dir/matcher.db}, default thresholds.
   */
  public static MatcherConfig embeddedIn(Path dir) {
    return new MatcherConfig(
        BrokerConfig.embedded(EmbeddedBrokerConfig.ephemeral(dir.resolve("broker"))),
        StoreConfig.sqlite(dir.resolve("matcher.db")),
        ThresholdConfig.defaults(),
        DEFAULT_CLIENT_ID,
        null,
        false,
        null,
        DEFAULT_SESSION_EXPIRY_SECONDS,
        null,
        AuditConfig.in(dir),
        RetentionConfig.defaults(),
        MetricsConfig.off(),
        HttpConfig.disabled(),
        IndexConfig.defaults(),
        WatchlistConfig.defaults(),
        OversightConfig.defaults());
  }

  /** Returns a copy with another broker. */
  public MatcherConfig withBroker(BrokerConfig newBroker) {
    return new MatcherConfig(
        newBroker,
        store,
        thresholds,
        clientId,
        alertWebhook,
        sharedSubscription,
        site,
        sessionExpirySeconds,
        sealing,
        audit,
        retention,
        metrics,
        http,
        index,
        watchlist,
        oversight);
  }

  /** Returns a copy with another store. */
  public MatcherConfig withStore(StoreConfig newStore) {
    return new MatcherConfig(
        broker,
        newStore,
        thresholds,
        clientId,
        alertWebhook,
        sharedSubscription,
        site,
        sessionExpirySeconds,
        sealing,
        audit,
        retention,
        metrics,
        http,
        index,
        watchlist,
        oversight);
  }

  /**
   * Returns a copy with a fixed global threshold that starts even when its expected false alarms
   * exceed the target (tests of the match decision itself).
   */
  public MatcherConfig withGlobalThreshold(double global) {
    return withThresholds(ThresholdConfig.fixed(global, true));
  }

  /** Returns a copy with another operating point configuration. */
  public MatcherConfig withThresholds(ThresholdConfig newThresholds) {
    return new MatcherConfig(
        broker,
        store,
        newThresholds,
        clientId,
        alertWebhook,
        sharedSubscription,
        site,
        sessionExpirySeconds,
        sealing,
        audit,
        retention,
        metrics,
        http,
        index,
        watchlist,
        oversight);
  }

  /** Returns a copy with another MQTT client id. */
  public MatcherConfig withClientId(String newClientId) {
    return new MatcherConfig(
        broker,
        store,
        thresholds,
        newClientId,
        alertWebhook,
        sharedSubscription,
        site,
        sessionExpirySeconds,
        sealing,
        audit,
        retention,
        metrics,
        http,
        index,
        watchlist,
        oversight);
  }

  /** Returns a copy with the shared subscription on or off. */
  public MatcherConfig withSharedSubscription(boolean shared) {
    return new MatcherConfig(
        broker,
        store,
        thresholds,
        clientId,
        alertWebhook,
        shared,
        site,
        sessionExpirySeconds,
        sealing,
        audit,
        retention,
        metrics,
        http,
        index,
        watchlist,
        oversight);
  }

  /** Returns a copy that takes only {@code site}'s candidates (null: every site). */
  public MatcherConfig withSite(@Nullable String newSite) {
    return new MatcherConfig(
        broker,
        store,
        thresholds,
        clientId,
        alertWebhook,
        sharedSubscription,
        newSite,
        sessionExpirySeconds,
        sealing,
        audit,
        retention,
        metrics,
        http,
        index,
        watchlist,
        oversight);
  }

  /** Returns a copy with another session expiry. */
  public MatcherConfig withSessionExpirySeconds(long seconds) {
    return new MatcherConfig(
        broker,
        store,
        thresholds,
        clientId,
        alertWebhook,
        sharedSubscription,
        site,
        seconds,
        sealing,
        audit,
        retention,
        metrics,
        http,
        index,
        watchlist,
        oversight);
  }

  /** Returns a copy that opens sealed candidates with {@code newSealing} (null: none). */
  public MatcherConfig withSealing(@Nullable SealingConfig newSealing) {
    return new MatcherConfig(
        broker,
        store,
        thresholds,
        clientId,
        alertWebhook,
        sharedSubscription,
        site,
        sessionExpirySeconds,
        newSealing,
        audit,
        retention,
        metrics,
        http,
        index,
        watchlist,
        oversight);
  }

  /** Returns a copy with another retention policy. */
  public MatcherConfig withRetention(RetentionConfig newRetention) {
    return new MatcherConfig(
        broker,
        store,
        thresholds,
        clientId,
        alertWebhook,
        sharedSubscription,
        site,
        sessionExpirySeconds,
        sealing,
        audit,
        newRetention,
        metrics,
        http,
        index,
        watchlist,
        oversight);
  }

  /** Returns a copy with another index configuration. */
  public MatcherConfig withIndex(IndexConfig newIndex) {
    return new MatcherConfig(
        broker,
        store,
        thresholds,
        clientId,
        alertWebhook,
        sharedSubscription,
        site,
        sessionExpirySeconds,
        sealing,
        audit,
        retention,
        metrics,
        http,
        newIndex,
        watchlist,
        oversight);
  }

  /** Returns a copy with another standalone metrics endpoint. */
  public MatcherConfig withMetrics(MetricsConfig newMetrics) {
    return new MatcherConfig(
        broker,
        store,
        thresholds,
        clientId,
        alertWebhook,
        sharedSubscription,
        site,
        sessionExpirySeconds,
        sealing,
        audit,
        retention,
        newMetrics,
        http,
        index,
        watchlist,
        oversight);
  }

  /** Returns a copy that POSTs verified alerts to {@code url} (or to none for null). */
  public MatcherConfig withAlertWebhook(@Nullable URI url) {
    return new MatcherConfig(
        broker,
        store,
        thresholds,
        clientId,
        url,
        sharedSubscription,
        site,
        sessionExpirySeconds,
        sealing,
        audit,
        retention,
        metrics,
        http,
        index,
        watchlist,
        oversight);
  }

  /** Returns a copy with another oversight configuration. */
  public MatcherConfig withOversight(OversightConfig newOversight) {
    return new MatcherConfig(
        broker,
        store,
        thresholds,
        clientId,
        alertWebhook,
        sharedSubscription,
        site,
        sessionExpirySeconds,
        sealing,
        audit,
        retention,
        metrics,
        http,
        index,
        watchlist,
        newOversight);
  }

  /** Returns a copy with another REST API and dashboard configuration. */
  public MatcherConfig withHttp(HttpConfig newHttp) {
    return new MatcherConfig(
        broker,
        store,
        thresholds,
        clientId,
        alertWebhook,
        sharedSubscription,
        site,
        sessionExpirySeconds,
        sealing,
        audit,
        retention,
        metrics,
        newHttp,
        index,
        watchlist,
        oversight);
  }

  /** The candidates topic filter this configuration subscribes to. */
  public String candidatesFilter() {
    return Topics.candidatesFilter(site, sharedSubscription);
  }
}
