package io.edgecam.agent.update;

import io.edgecam.agent.config.AgentConfig;
import io.edgecam.agent.service.FaceAnalyzer;
import io.edgecam.agent.service.FacePipelineAnalyzer;
import io.edgecam.face.inference.ModelLoadException;
import io.edgecam.face.inference.ModelStore;
import io.edgecam.face.pipeline.FacePipeline;
import io.edgecam.face.pipeline.PipelineConfig;
import io.edgecam.face.pipeline.Precision;
import io.edgecam.protocol.Health;
import io.edgecam.protocol.tuf.EdgecamTarget;
import io.edgecam.protocol.tuf.TargetFile;
import io.edgecam.protocol.tuf.TufException;
import io.edgecam.protocol.tuf.TufUpdater;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model half of the {@link UpdateClient}: which version each slot runs (resolved at start), the
 * update of one slot per refresh through {@link ModelUpdater}, and the probation that follows
 * (confirmation, rollback). The constructor runs on the caller's thread before the update thread
 * starts; everything else on the update thread, except {@link #versions} (any thread).
 */
final class ModelUpdates {
  private static final Logger log = LoggerFactory.getLogger(ModelUpdates.class);

  /** Where results and problems go (the update client). */
  interface Sink {
    /** A result to report. */
    void report(UpdateResult r);

    /** A refusal: reported, and shown in the health. */
    void refused(UpdateResult r);

    /** A local problem (disk) for the health. */
    void problem(Health h);
  }

  private final AgentConfig config;
  private final Clock clock;
  private final ModelSlots slots;
  private final RejectedTargets rejected;
  private final ModelStore builtIn;
  private final AnalyzerFactory factory;
  private final Duration probation;
  private final ScheduledExecutorService thread;
  private final Sink sink;
  private final Map<String, Long> activeModels = new ConcurrentHashMap<>();
  private final List<UpdateResult> fallbacks = new ArrayList<>();
  private final SwappableAnalyzer analyzer;
  private @Nullable ModelUpdater models;
  private ModelUpdater.@Nullable Installed inProbation;
  private Precision precision = Precision.FLOAT; // last chosen by a running pipeline

  /**
   * Resolves the slots and opens the pipeline (no network).
   *
   * @throws ModelLoadException if not even the built-in models load
   */
  ModelUpdates(
      AgentConfig config,
      Clock clock,
      RejectedTargets rejected,
      AnalyzerFactory factory,
      ScheduledExecutorService thread,
      Sink sink) {
    this.config = config;
    this.clock = clock;
    this.slots = new ModelSlots(config.updatesDir());
    this.rejected = rejected;
    this.builtIn =
        config.pipeline().models() != null
            ? ModelStore.at(config.pipeline().models())
            : ModelStore.locate();
    this.factory = factory;
    this.probation = Duration.ofMinutes(config.updates().modelProbationMinutes());
    this.thread = thread;
    this.sink = sink;
    this.analyzer = new SwappableAnalyzer(openInitial(), this::onProbationFailure);
    runningPipelineConfig(); // remembers the precision the pipeline chose
  }

  /** The running analyzer. */
  SwappableAnalyzer analyzer() {
    return analyzer;
  }

  /** Slots that fell back at start, as rolled_back results (reported once started). */
  List<UpdateResult> fallbacks() {
    return List.copyOf(fallbacks);
  }

  /** The pipeline at start: resolved updates, falling back to the built-in models if they fail. */
  private FaceAnalyzer openInitial() {
    PipelineConfig pc = FacePipelineAnalyzer.toPipelineConfig(config.pipeline());
    Map<String, Long> active;
    try {
      ModelSlots.Resolution r = slots.resolve(clock.millis(), probation.toMillis());
      active = r.active();
      for (ModelSlots.Fallback f : r.fallbacks()) {
        fallbacks.add(rolledBack(f.name(), f.from(), "start: " + f.reason()));
        if (f.crashed() && f.sha256() != null) {
          remember(f.sha256(), "rolled back at start: " + f.reason());
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
    return factory.create(pipeline);
  }

  /** Records a refused model; if the disk fails, it may be tried again after a restart. */
  private void remember(String sha256, String reason) {
    try {
      rejected.add(sha256, reason);
    } catch (IOException e) {
      log.error("cannot record the refused model {}: {}", sha256, e.getMessage());
    }
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

  /** On the update thread, once the TUF updater exists. */
  void start(TufUpdater tuf, StageHook hook, String agentVersion) {
    models =
        new ModelUpdater(
            tuf,
            slots,
            rejected,
            analyzer,
            factory,
            builtIn,
            hook,
            clock,
            probation,
            agentVersion,
            sink::report);
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

  /**
   * Updates at most one slot to its highest eligible target.
   *
   * @return false if something was refused or failed
   */
  boolean cycle(TufUpdater t) {
    ModelUpdater m = models;
    if (m == null || inProbation != null || !analyzer.isRunning()) {
      return true;
    }
    Map<String, TargetFile> targets;
    try {
      targets = t.targetsOf(UpdateClient.MODELS_ROLE);
    } catch (TufException e) {
      for (String name : names()) {
        sink.refused(
            new UpdateResult(
                UpdateResult.MODEL,
                name,
                "",
                0,
                UpdateResult.Result.REJECTED,
                UpdateClient.reason(e)));
      }
      return false;
    }
    for (String name : names()) {
      Optional<EdgecamTarget.Listed> best;
      try {
        best = EdgecamTarget.select(targets, EdgecamTarget.Kind.MODEL, name, config.device());
      } catch (TufException e) {
        sink.refused(
            new UpdateResult(
                UpdateResult.MODEL,
                name,
                "",
                0,
                UpdateResult.Result.REJECTED,
                UpdateClient.reason(e)));
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
        sink.report(
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
        sink.refused(
            new UpdateResult(
                UpdateResult.MODEL,
                name,
                l.path(),
                l.target().version(),
                UpdateResult.Result.REJECTED,
                UpdateClient.reason(e)));
        return false;
      } catch (IOException e) {
        log.error("model {}: local state: {}", name, e.getMessage());
        sink.problem(Health.degraded("model " + name + ": " + e.getMessage()));
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /**
   * The running settings with the precision the running pipeline chose (no new measurement; the
   * last one seen while no analyzer runs).
   */
  private PipelineConfig runningPipelineConfig() {
    String chosen = analyzer.versions().get("precision");
    if (chosen != null) {
      precision = "int8".equals(chosen) ? Precision.INT8 : Precision.FLOAT;
    }
    return FacePipelineAnalyzer.toPipelineConfig(config.pipeline()).withPrecision(precision);
  }

  /** Model slots the running pipeline uses (manifest names of its detector and embedder). */
  List<String> names() {
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
      activeModels.put(p.name(), back);
      slots.saveState(p.name(), new ModelSlots.State(back, 0, clock.millis(), true, 0));
      String sha = p.sha256().isEmpty() ? slots.manifestSha(p.name(), p.version()) : p.sha256();
      if (sha != null) {
        remember(sha, "rolled back: " + reason);
      }
      if (!previousRunning) {
        FacePipeline pipeline =
            FacePipeline.open(
                runningPipelineConfig(), slots.overlay(builtIn, Map.copyOf(activeModels)));
        analyzer.install(factory.create(pipeline), Duration.ZERO);
      }
      slots.prune(p.name(), back);
    } catch (IOException | RuntimeException e) {
      log.error("model {}: rollback incomplete: {}", p.name(), e.getMessage(), e);
      sink.problem(Health.failed("model rollback failed: " + e.getMessage()));
    }
    log.warn("model {} v{} rolled back: {}", p.name(), p.version(), reason);
    sink.report(
        new UpdateResult(
            UpdateResult.MODEL,
            p.name(),
            "",
            p.version(),
            UpdateResult.Result.ROLLED_BACK,
            "probation: " + reason));
  }

  /** {@code model.<name>} to the installed version (0 = built-in) for each slot in use. */
  Map<String, String> versions() {
    Map<String, String> v = new LinkedHashMap<>();
    for (String name : names()) {
      v.put("model." + name, Long.toString(activeModels.getOrDefault(name, 0L)));
    }
    return v;
  }
}
