package io.edgecam.agent.update;

import io.edgecam.agent.config.AgentConfig;
import io.edgecam.agent.config.ConfigException;
import io.edgecam.agent.inference.ModelLoadException;
import io.edgecam.agent.inference.ModelStore;
import io.edgecam.agent.pipeline.FacePipeline;
import io.edgecam.agent.pipeline.PipelineConfig;
import io.edgecam.agent.pipeline.Precision;
import io.edgecam.agent.service.FaceAnalyzer;
import io.edgecam.agent.service.FacePipelineAnalyzer;
import io.edgecam.agent.service.Prefilter;
import io.edgecam.protocol.DeviceEvent;
import io.edgecam.protocol.Health;
import io.edgecam.protocol.tuf.DirectoryMetadataStore;
import io.edgecam.protocol.tuf.EdgecamTarget;
import io.edgecam.protocol.tuf.FetchLimits;
import io.edgecam.protocol.tuf.TargetFile;
import io.edgecam.protocol.tuf.TopLevel;
import io.edgecam.protocol.tuf.TufException;
import io.edgecam.protocol.tuf.TufFetcher;
import io.edgecam.protocol.tuf.TufUpdater;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
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
  private static final int MAX_REASON = 400;

  private final AgentConfig config;
  private final Clock clock;
  private final String agentVersion;
  private final StageHook hook;
  private final AnalyzerFactory factory;
  private final Path dir;
  private final ModelSlots slots;
  private final RejectedTargets rejected;
  private final ModelStore builtIn;
  private final SwappableAnalyzer analyzer;
  private final WatchlistPrefilter prefilter;
  private final WatchlistUpdater watchlist;
  private final Duration probation;
  private final ScheduledExecutorService thread;
  private final Map<String, Long> activeModels = new ConcurrentHashMap<>();
  private final Map<String, String> lastReported = new HashMap<>(); // guarded by this
  private final List<UpdateResult> pending = new ArrayList<>(); // guarded by this
  private @Nullable Consumer<DeviceEvent> events; // guarded by this
  private volatile Health health = Health.ok();
  private @Nullable TufUpdater tuf; // update thread only
  private @Nullable TufFetcher fetcher; // guarded by this
  private @Nullable ModelUpdater models; // update thread only
  private ModelUpdater.@Nullable Installed inProbation; // update thread only

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
    this.factory = factory;
    this.dir = config.updatesDir();
    this.slots = new ModelSlots(dir);
    this.rejected = new RejectedTargets(dir);
    this.probation = Duration.ofMinutes(config.updates().modelProbationMinutes());
    this.builtIn =
        config.pipeline().models() != null
            ? ModelStore.at(config.pipeline().models())
            : ModelStore.locate();
    this.analyzer = new SwappableAnalyzer(openInitial(), this::onProbationFailure);
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
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "edgecam-updates");
              t.setDaemon(true);
              return t;
            });
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
        AnalyzerFactory.DEFAULT);
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

  /** The pipeline at start: resolved updates, falling back to the built-in models if they fail. */
  private FaceAnalyzer openInitial() {
    PipelineConfig pc = FacePipelineAnalyzer.toPipelineConfig(config.pipeline());
    List<UpdateResult> fallbacks = new ArrayList<>();
    Map<String, Long> active;
    try {
      ModelSlots.Resolution r = slots.resolve(clock.millis(), probation.toMillis());
      active = r.active();
      for (ModelSlots.Fallback f : r.fallbacks()) {
        fallbacks.add(rolledBack(f.name(), f.from(), "start: " + f.reason()));
        if (f.crashed() && f.sha256() != null) {
          rejected.add(f.sha256(), "rolled back at start: " + f.reason());
        }
      }
    } catch (IOException e) {
      log.error("cannot read installed models, using the built-in ones: {}", e.getMessage());
      active = Map.of();
    }
    FacePipeline pipeline;
    try {
      pipeline = FacePipeline.open(pc, slots.overlay(builtIn, active));
    } catch (ModelLoadException e) {
      if (active.values().stream().allMatch(v -> v == 0)) {
        throw e;
      }
      log.error("installed models do not load ({}); using the built-in ones", e.getMessage());
      for (Map.Entry<String, Long> a : active.entrySet()) {
        if (a.getValue() > 0) {
          fallbacks.add(rolledBack(a.getKey(), a.getValue(), "start: " + e.getMessage()));
          saveBuiltIn(a.getKey());
        }
      }
      active = Map.of();
      pipeline = FacePipeline.open(pc, builtIn);
    }
    active.forEach(activeModels::put);
    synchronized (this) {
      pending.addAll(fallbacks);
    }
    return factory.create(pipeline);
  }

  private UpdateResult rolledBack(String name, long from, String reason) {
    return new UpdateResult(
        UpdateResult.MODEL, name, "", from, UpdateResult.Result.ROLLED_BACK, reason);
  }

  private void saveBuiltIn(String name) {
    try {
      slots.saveState(name, new ModelSlots.State(0, 0, clock.millis(), true, 0));
    } catch (IOException e) {
      log.error("cannot reset model {}: {}", name, e.getMessage());
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
    models =
        new ModelUpdater(
            t,
            slots,
            rejected,
            analyzer,
            factory,
            builtIn,
            hook,
            clock,
            probation,
            agentVersion,
            this::report);
    resumeProbation();
  }

  /** A model activated before this start and still in probation: watch it for the rest. */
  private void resumeProbation() {
    for (String name : activeModels.keySet()) {
      try {
        ModelSlots.State s = slots.state(name);
        long left = s.activatedMillis() + probation.toMillis() - clock.millis();
        if (s.active() > 0 && !s.confirmed() && left > 0) {
          long id = analyzer.watch(Duration.ofMillis(left));
          inProbation = new ModelUpdater.Installed(name, s.active(), "", id);
          thread.schedule(() -> confirm(id), left, TimeUnit.MILLISECONDS);
          return;
        }
      } catch (IOException e) {
        log.warn("model {}: cannot read its state: {}", name, e.getMessage());
      }
    }
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
      for (String name : modelNames()) {
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
    boolean ok = watchlistCycle(t);
    ok &= modelCycle(t);
    if (ok) {
      health = Health.ok();
    }
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

  private boolean modelCycle(TufUpdater t) {
    ModelUpdater m = models;
    if (m == null || inProbation != null || !analyzer.isRunning()) {
      return true;
    }
    Map<String, TargetFile> targets;
    try {
      targets = t.targetsOf(MODELS_ROLE);
    } catch (TufException e) {
      for (String name : modelNames()) {
        refused(
            new UpdateResult(
                UpdateResult.MODEL, name, "", 0, UpdateResult.Result.REJECTED, reason(e)));
      }
      return false;
    }
    for (String name : modelNames()) {
      Optional<EdgecamTarget.Listed> best;
      try {
        best = EdgecamTarget.select(targets, EdgecamTarget.Kind.MODEL, name, config.device());
      } catch (TufException e) {
        refused(
            new UpdateResult(
                UpdateResult.MODEL, name, "", 0, UpdateResult.Result.REJECTED, reason(e)));
        return false;
      }
      long active = activeModels.getOrDefault(name, 0L);
      if (best.isEmpty()
          || best.get().target().version() == active
          || rejected.reason(best.get().file().sha256()) != null) {
        continue;
      }
      EdgecamTarget.Listed l = best.get();
      if (l.target().version() < active) {
        report(
            new UpdateResult(
                UpdateResult.MODEL,
                name,
                l.path(),
                l.target().version(),
                UpdateResult.Result.REJECTED,
                "rollback: v" + l.target().version() + " is older than the active v" + active));
        continue;
      }
      try {
        ModelUpdater.Installed installed =
            m.update(name, l, Map.copyOf(activeModels), runningPipelineConfig());
        if (installed != null) {
          activeModels.put(name, installed.version());
          if (installed.probationId() != 0) {
            inProbation = installed;
            long id = installed.probationId();
            thread.schedule(() -> confirm(id), probation.toMillis(), TimeUnit.MILLISECONDS);
            return true; // one model at a time
          }
        }
      } catch (TufException e) {
        refused(
            new UpdateResult(
                UpdateResult.MODEL,
                name,
                l.path(),
                l.target().version(),
                UpdateResult.Result.REJECTED,
                reason(e)));
        return false;
      } catch (IOException e) {
        log.error("model {}: local state: {}", name, e.getMessage());
        health = Health.degraded("model " + name + ": " + e.getMessage());
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /** The running settings with the precision the running pipeline chose (no new measurement). */
  private PipelineConfig runningPipelineConfig() {
    PipelineConfig pc = FacePipelineAnalyzer.toPipelineConfig(config.pipeline());
    String chosen = analyzer.versions().get("precision");
    return pc.withPrecision("int8".equals(chosen) ? Precision.INT8 : Precision.FLOAT);
  }

  /** Model slots the running pipeline uses (manifest names of its detector and embedder). */
  private List<String> modelNames() {
    Map<String, String> v = analyzer.versions();
    List<String> names = new ArrayList<>();
    for (String key : List.of("detector", "embedder")) {
      if (v.get(key) != null) {
        names.add(v.get(key));
      }
    }
    return names;
  }

  private void confirm(long id) {
    ModelUpdater.Installed p = inProbation;
    if (p == null || p.probationId() != id || !analyzer.endProbation(id)) {
      return;
    }
    inProbation = null;
    try {
      ModelSlots.State s = slots.state(p.name());
      slots.saveState(
          p.name(), new ModelSlots.State(s.active(), s.previous(), s.activatedMillis(), true, 0));
      log.info("model {} v{} passed its probation", p.name(), p.version());
    } catch (IOException e) {
      log.error("model {}: cannot record the end of probation: {}", p.name(), e.getMessage());
    }
  }

  /** Pipeline thread, under the analyzer's lock: hand off. */
  private void onProbationFailure(long id, String reason, boolean previousRunning) {
    thread.execute(() -> rollBack(id, reason, previousRunning));
  }

  private void rollBack(long id, String reason, boolean previousRunning) {
    ModelUpdater.Installed p = inProbation;
    if (p == null || p.probationId() != id) {
      return;
    }
    inProbation = null;
    try {
      ModelSlots.State s = slots.state(p.name());
      long back =
          s.previous() > 0 && slots.invalidReason(p.name(), s.previous()) == null
              ? s.previous()
              : 0;
      slots.saveState(p.name(), new ModelSlots.State(back, 0, clock.millis(), true, 0));
      String sha = p.sha256().isEmpty() ? slots.manifestSha(p.name(), p.version()) : p.sha256();
      if (sha != null) {
        rejected.add(sha, "rolled back: " + reason);
      }
      activeModels.put(p.name(), back);
      if (!previousRunning) {
        FacePipeline pipeline =
            FacePipeline.open(
                runningPipelineConfig(), slots.overlay(builtIn, Map.copyOf(activeModels)));
        analyzer.install(factory.create(pipeline), Duration.ZERO);
      }
      slots.prune(p.name(), back);
    } catch (IOException | RuntimeException e) {
      log.error("model {}: rollback incomplete: {}", p.name(), e.getMessage(), e);
      health = Health.failed("model rollback failed: " + e.getMessage());
    }
    log.warn("model {} v{} rolled back: {}", p.name(), p.version(), reason);
    report(
        new UpdateResult(
            UpdateResult.MODEL,
            p.name(),
            "",
            p.version(),
            UpdateResult.Result.ROLLED_BACK,
            "probation: " + reason));
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
    for (String name : modelNames()) {
      v.put("model." + name, Long.toString(activeModels.getOrDefault(name, 0L)));
    }
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

  private static String reason(TufException e) {
    String r = e.kind().name().toLowerCase(Locale.ROOT) + ": " + e.getMessage();
    return r.length() > MAX_REASON ? r.substring(0, MAX_REASON) : r;
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
