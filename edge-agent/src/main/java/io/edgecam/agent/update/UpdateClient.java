package io.edgecam.agent.update;

import io.edgecam.agent.config.AgentConfig;
import io.edgecam.agent.service.FaceAnalyzer;
import io.edgecam.agent.service.Prefilter;
import io.edgecam.face.inference.ModelLoadException;
import io.edgecam.protocol.DeviceEvent;
import io.edgecam.protocol.Health;
import io.edgecam.protocol.tuf.DirectoryMetadataStore;
import io.edgecam.protocol.tuf.EdgecamTarget;
import io.edgecam.protocol.tuf.FetchLimits;
import io.edgecam.protocol.tuf.TopLevel;
import io.edgecam.protocol.tuf.TufException;
import io.edgecam.protocol.tuf.TufFetcher;
import io.edgecam.protocol.tuf.TufUpdater;
import io.edgecam.runtime.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's update client (docs/updates.md, "Agent"). At {@link #open} (before any network) it
 * resolves the models to run (installed updates that passed their self-test, else the previous
 * version, else the built-in model) and loads the persisted watchlist into the prefilter. After
 * {@link #start} its own thread {@code edgecam-updates} refreshes the TUF metadata every {@code
 * updates.refreshSeconds} and, for each kind and name, applies the highest-version target the
 * device is eligible for: the watchlist of the running embedder's model tag, and a model for each
 * slot the pipeline runs (one model at a time, none while another is in probation). Every result
 * becomes an {@link UpdateResult} event. Never blocks the pipeline thread: the only shared objects
 * are the {@link SwappableAnalyzer} (locked for one frame) and the {@link WatchlistPrefilter}
 * (volatile).
 */
public final class UpdateClient implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(UpdateClient.class);
  static final String WATCHLIST_ROLE = "watchlist";
  static final String MODELS_ROLE = "models";

  private final AgentConfig config;
  private final Clock clock;
  private final String agentVersion;
  private final StageHook hook;
  private final Path dir;
  private final RejectedTargets rejected;
  private final SwappableAnalyzer analyzer;
  private final WatchlistPrefilter prefilter;
  private final WatchlistUpdater watchlist;
  private final ModelUpdates models;
  private volatile boolean updating;
  private final ScheduledExecutorService thread;
  private final Map<String, String> lastReported = new HashMap<>(); // guarded by this
  private final List<UpdateResult> pending = new ArrayList<>(); // guarded by this
  private @Nullable Consumer<DeviceEvent> events; // guarded by this
  private volatile Health health = Health.ok();
  private @Nullable TufUpdater tuf; // update thread only
  private @Nullable TufFetcher fetcher; // guarded by this

  private UpdateClient(
      AgentConfig config,
      String agentVersion,
      Clock clock,
      StageHook hook,
      AnalyzerFactory factory) {
    this.config = config;
    this.clock = clock;
    this.agentVersion = agentVersion;
    this.hook = hook;
    this.dir = config.updatesDir();
    this.rejected = new RejectedTargets(dir);
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "edgecam-updates");
              t.setDaemon(true);
              return t;
            });
    this.models =
        new ModelUpdates(
            config,
            clock,
            rejected,
            factory,
            thread,
            new ModelUpdates.Sink() {
              @Override
              public void report(UpdateResult r) {
                UpdateClient.this.report(r);
              }

              @Override
              public void refused(UpdateResult r) {
                UpdateClient.this.refused(r);
              }

              @Override
              public void problem(Health h) {
                health = h;
              }
            });
    this.analyzer = models.analyzer();
    pending.addAll(models.fallbacks());
    this.prefilter =
        new WatchlistPrefilter(config.updates().prefilter(), analyzer::modelTag, clock);
    this.watchlist =
        new WatchlistUpdater(
            new WatchlistStore(dir),
            rejected,
            prefilter,
            config.updates().prefilter().threshold(),
            this::report);
    String problem = watchlist.load();
    if (problem != null) {
      health = Health.degraded(problem);
    }
  }

  /**
   * Prepares updates for {@code config} (which must have {@code updates.enabled}): resolves the
   * models, opens the pipeline, loads the persisted watchlist. Reads no network.
   *
   * @param agentVersion the agent's version, checked against a model's minimum ({@code dev}: not
   *     checked)
   * @throws ConfigException if the provisioned root is missing
   * @throws ModelLoadException if not even the built-in models load
   */
  public static UpdateClient open(AgentConfig config, String agentVersion) {
    return open(
        config,
        agentVersion,
        Clock.systemUTC(),
        StageHook.fromEnvironment(System.getenv(), config.updatesDir()),
        AnalyzerFactory.of(config.pipeline()));
  }

  static UpdateClient open(
      AgentConfig config,
      String agentVersion,
      Clock clock,
      StageHook hook,
      AnalyzerFactory factory) {
    if (!config.updates().enabled()) {
      throw new IllegalArgumentException("updates.enabled is false");
    }
    installRoot(config);
    return new UpdateClient(config, agentVersion, clock, hook, factory);
  }

  /** Puts the provisioned root into the TUF store on the first start. */
  private static void installRoot(AgentConfig config) {
    Path tufDir = config.updatesDir().resolve("tuf");
    Path provisioned = config.updates().root();
    try {
      if (Files.exists(tufDir.resolve(TopLevel.ROOT + ".json"))) {
        return;
      }
      byte[] root = Files.readAllBytes(provisioned);
      AtomicFiles.write(tufDir.resolve(TopLevel.ROOT + ".json"), root);
      log.info("trusted root installed from {}", provisioned);
    } catch (NoSuchFileException e) {
      throw new ConfigException("updates.root: " + provisioned + ": no such file", e);
    } catch (IOException e) {
      throw new ConfigException("updates.root: cannot install " + provisioned + ": " + e, e);
    }
  }

  /** The analyzer to run: models are swapped inside it. */
  public FaceAnalyzer analyzer() {
    return analyzer;
  }

  /** The watchlist prefilter. */
  public Prefilter prefilter() {
    return prefilter;
  }

  /**
   * Starts refreshing through {@code fetcher} now and every {@code updates.refreshSeconds}; results
   * (and those found at open) go to {@code events}, which must not block. A fetcher that is {@link
   * AutoCloseable} is closed with this client.
   */
  public synchronized void start(TufFetcher fetcher, Consumer<DeviceEvent> events) {
    if (this.events != null) {
      throw new IllegalStateException("already started");
    }
    this.events = events;
    this.fetcher = fetcher;
    pending.forEach(r -> events.accept(r.toEvent(config.device(), clock.millis())));
    pending.clear();
    thread.execute(() -> init(fetcher));
    thread.scheduleWithFixedDelay(
        this::cycle, 0, config.updates().refreshSeconds(), TimeUnit.SECONDS);
  }

  private void init(TufFetcher fetcher) {
    TufUpdater t =
        new TufUpdater(
            new DirectoryMetadataStore(dir.resolve("tuf")), fetcher, clock, FetchLimits.DEFAULTS);
    tuf = t;
    models.start(t, hook, agentVersion);
  }

  /** Runs a refresh cycle on the update thread now; completes when it has run. */
  public CompletableFuture<Void> refreshNow() {
    return CompletableFuture.runAsync(this::cycle, thread);
  }

  private void cycle() {
    TufUpdater t = tuf;
    if (t == null || Thread.currentThread().isInterrupted()) {
      return;
    }
    try {
      t.refresh();
    } catch (TufException e) {
      String reason = reason(e);
      log.warn("update metadata refused: {}", reason);
      health = Health.degraded("metadata refused: " + reason);
      report(watchlistResult("", 0, reason));
      for (String name : models.names()) {
        report(
            new UpdateResult(
                UpdateResult.MODEL, name, "", 0, UpdateResult.Result.REJECTED, reason));
      }
      return;
    } catch (RuntimeException e) {
      log.warn("update refresh failed: {}", e.toString());
      health = Health.degraded("refresh failed: " + e.getMessage());
      return;
    }
    updating = true;
    try {
      boolean ok = watchlistCycle(t);
      ok &= models.cycle(t);
      if (ok) {
        health = Health.ok();
      }
    } finally {
      updating = false;
    }
  }

  /**
   * Whether the update thread is applying verified metadata right now (watchlist, model download,
   * self-test, swap): the status LED's "updating" pattern. Any thread.
   */
  public boolean updating() {
    return updating;
  }

  private boolean watchlistCycle(TufUpdater t) {
    String tag = analyzer.modelTag();
    try {
      Optional<EdgecamTarget.Listed> best =
          EdgecamTarget.select(
              t.targetsOf(WATCHLIST_ROLE), EdgecamTarget.Kind.WATCHLIST, tag, config.device());
      if (best.isPresent()) {
        try {
          watchlist.apply(t, best.get(), tag);
        } catch (TufException e) {
          refused(
              new UpdateResult(
                  UpdateResult.WATCHLIST,
                  tag,
                  best.get().path(),
                  best.get().target().version(),
                  UpdateResult.Result.REJECTED,
                  reason(e)));
          return false;
        }
      }
      return true;
    } catch (TufException e) {
      refused(watchlistResult("", 0, reason(e)));
      return false;
    } catch (IOException e) {
      log.error("watchlist: local state: {}", e.getMessage());
      health = Health.degraded("watchlist: " + e.getMessage());
      return false;
    }
  }

  private UpdateResult watchlistResult(String target, long version, String reason) {
    return new UpdateResult(
        UpdateResult.WATCHLIST,
        analyzer.modelTag(),
        target,
        version,
        UpdateResult.Result.REJECTED,
        reason);
  }

  /**
   * Deletes the local watchlist copy and makes the prefilter pass nothing until the maintainer
   * publishes a newer watchlist (tamper; docs/updates.md, "Wipe"). Any thread; takes effect for the
   * next best shot.
   */
  public void wipeWatchlist() {
    try {
      watchlist.wipe();
    } catch (IOException e) {
      // The prefilter already passes nothing; only the file could not be removed.
      log.error("watchlist copy could not be deleted: {}", e.getMessage());
      health = Health.failed("watchlist wipe incomplete: " + e.getMessage());
    }
  }

  /**
   * Versions for the status message: {@code watchlist} (0 = none) and {@code model.<name>} for each
   * model the pipeline runs (0 = the built-in model).
   */
  public Map<String, String> versions() {
    Map<String, String> v = new LinkedHashMap<>();
    v.put("watchlist", Long.toString(watchlist.version()));
    v.putAll(models.versions());
    return v;
  }

  /** OK, or DEGRADED/FAILED with the last problem (refused metadata, local state). */
  public Health health() {
    return health;
  }

  /** Reports a refusal and shows it in the health of the updates component. */
  private void refused(UpdateResult r) {
    health = Health.degraded(r.kind() + " " + r.name() + " refused: " + r.reason());
    report(r);
  }

  private synchronized void report(UpdateResult r) {
    String key = r.kind() + "|" + r.name();
    String signature = r.target() + "|" + r.version() + "|" + r.result() + "|" + r.reason();
    if (r.result() == UpdateResult.Result.REJECTED && signature.equals(lastReported.get(key))) {
      return; // the same refusal at every refresh is reported once
    }
    lastReported.put(key, signature);
    if (events == null) {
      pending.add(r);
      return;
    }
    events.accept(r.toEvent(config.device(), clock.millis())); // the sink only queues
  }

  /** The reason of a TUF refusal: the check that failed, then the message. */
  static String reason(TufException e) {
    return e.kind().name().toLowerCase(Locale.ROOT) + ": " + e.getMessage();
  }

  /** Stops the update thread (waiting for a running step) and closes the analyzer. */
  @Override
  public void close() {
    thread.shutdownNow();
    try {
      if (!thread.awaitTermination(30, TimeUnit.SECONDS)) {
        log.warn("update thread still busy after 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    TufFetcher f;
    synchronized (this) {
      f = fetcher;
    }
    if (f instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        log.debug("update fetcher did not close cleanly: {}", e.toString());
      }
    }
    analyzer.close();
  }
}
