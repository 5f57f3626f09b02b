package io.edgecam.agent.update;

import io.edgecam.face.image.Frame;
import io.edgecam.face.image.ImageDecodeException;
import io.edgecam.face.image.Images;
import io.edgecam.face.inference.ModelLoadException;
import io.edgecam.face.inference.ModelStore;
import io.edgecam.face.pipeline.FacePipeline;
import io.edgecam.face.pipeline.PipelineConfig;
import io.edgecam.protocol.tuf.EdgecamTarget;
import io.edgecam.protocol.tuf.TufUpdater;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One model update through its {@link UpdateStage}s: download (TUF: length and sha256), verify
 * (manifest and tensors against the slot, files installed as a new version directory), self-test (a
 * separate pipeline with the new model on the golden image), swap (the slot's state replaced by
 * rename, then the running analyzer swapped for the tested pipeline). A refusal on the content is
 * recorded in {@link RejectedTargets}; TUF failures are thrown to the caller. Runs on the update
 * thread.
 */
final class ModelUpdater {
  private static final Logger log = LoggerFactory.getLogger(ModelUpdater.class);

  /**
   * A model now running.
   *
   * @param name slot
   * @param version the new version
   * @param sha256 its file's sha256
   * @param probationId the analyzer's probation id, 0 without probation
   */
  record Installed(String name, long version, String sha256, long probationId) {}

  private final TufUpdater tuf;
  private final ModelSlots slots;
  private final RejectedTargets rejected;
  private final SwappableAnalyzer analyzer;
  private final AnalyzerFactory factory;
  private final ModelStore builtIn;
  private final StageHook hook;
  private final Clock clock;
  private final Duration probation;
  private final String agentVersion;
  private final Consumer<UpdateResult> report;

  ModelUpdater(
      TufUpdater tuf,
      ModelSlots slots,
      RejectedTargets rejected,
      SwappableAnalyzer analyzer,
      AnalyzerFactory factory,
      ModelStore builtIn,
      StageHook hook,
      Clock clock,
      Duration probation,
      String agentVersion,
      Consumer<UpdateResult> report) {
    this.tuf = tuf;
    this.slots = slots;
    this.rejected = rejected;
    this.analyzer = analyzer;
    this.factory = factory;
    this.builtIn = builtIn;
    this.hook = hook;
    this.clock = clock;
    this.probation = probation;
    this.agentVersion = agentVersion;
    this.report = report;
  }

  /**
   * Updates slot {@code name} to {@code listed}, given the versions now active.
   *
   * @param config the running pipeline's settings, with its chosen precision
   * @return what now runs, or null if the target was refused (reported)
   * @throws io.edgecam.protocol.tuf.TufException if a TUF check fails (not reported here)
   */
  @Nullable Installed update(
      String name, EdgecamTarget.Listed listed, Map<String, Long> active, PipelineConfig config)
      throws IOException, InterruptedException {
    EdgecamTarget target = listed.target();
    EdgecamTarget.ModelInfo info = target.model();
    long version = target.version();
    String sha = listed.file().sha256();
    Attempt a = new Attempt(name, listed.path(), version, sha);
    if (info == null) {
      return a.reject("manifest: a model target without model details");
    }
    if (!agentVersion.equals(DEV) && !info.supportsAgent(agentVersion)) {
      return a.reject(
          "agent: needs agent " + info.minAgentVersion() + " or newer, this is " + agentVersion);
    }
    long t0 = System.nanoTime();
    hook.reached(UpdateStage.DOWNLOAD);
    byte[] model = tuf.download(tuf.targetInfo(listed.path()));
    report.accept(
        new UpdateResult(
            UpdateResult.MODEL, name, a.path, version, UpdateResult.Result.STAGED, null));

    long t1 = System.nanoTime();
    hook.reached(UpdateStage.VERIFY);
    ModelStore running = slots.overlay(builtIn, active);
    String manifestName = info.manifest().path("name").asText();
    if (!manifestName.equals(name)) {
      return a.reject("manifest: names model " + manifestName + ", the target " + name);
    }
    if (!info.manifest().path("sha256").asText().equals(sha)
        || info.manifest().path("size").asLong() != model.length) {
      return a.reject("manifest: sha256/size differ from the target file's");
    }
    String mismatch;
    try {
      mismatch = ModelSelfTest.tensorMismatch(info, running.manifest(name));
    } catch (ModelLoadException e) {
      mismatch = "manifest: the running pipeline has no model " + name + ": " + e.getMessage();
    }
    if (mismatch != null) {
      return a.reject(mismatch);
    }
    Path manifest = slots.install(name, version, info.manifest(), model);

    long t2 = System.nanoTime();
    hook.reached(UpdateStage.SELFTEST);
    Frame golden;
    try {
      String image = info.selfTest().image();
      golden = Images.decode(tuf.download(tuf.targetInfo(image)), image);
    } catch (ImageDecodeException e) {
      return a.reject("selftest: golden image: " + e.getMessage());
    }
    FacePipeline pipeline;
    try {
      pipeline = FacePipeline.open(config, running.withOverride(name, manifest));
    } catch (ModelLoadException e) {
      return a.reject("load: " + e.getMessage());
    }
    String failure;
    try {
      failure = ModelSelfTest.failure(pipeline, golden, info.selfTest());
    } catch (RuntimeException e) {
      failure = "selftest: inference failed: " + e.getMessage();
    }
    if (failure != null) {
      pipeline.close();
      return a.reject(failure);
    }
    slots.markPassed(name, version, sha);

    long t3 = System.nanoTime();
    hook.reached(UpdateStage.SWAP);
    ModelSlots.State old = slots.state(name);
    boolean probe = !probation.isZero();
    slots.saveState(name, new ModelSlots.State(version, old.active(), clock.millis(), !probe, 0));
    long id = analyzer.install(factory.create(pipeline), probation);
    long t4 = System.nanoTime();
    slots.prune(name, version, old.active());
    log.info(
        "model {} v{} applied: download {} bytes in {} ms, verify {} ms, self-test {} ms, swap {}"
            + " ms{}",
        name,
        version,
        model.length,
        ms(t1 - t0),
        ms(t2 - t1),
        ms(t3 - t2),
        ms(t4 - t3),
        probe ? ", in probation for " + probation.toMinutes() + " min" : "");
    report.accept(
        new UpdateResult(
            UpdateResult.MODEL, name, a.path, version, UpdateResult.Result.APPLIED, null));
    return new Installed(name, version, sha, id);
  }

  /** Agent version of a build without a jar manifest: minimum agent versions are not checked. */
  static final String DEV = "dev";

  private static String ms(long nanos) {
    return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
  }

  /** One target being applied; its refusals are reported and remembered. */
  private final class Attempt {
    final String name;
    final String path;
    final long version;
    final String sha;

    Attempt(String name, String path, long version, String sha) {
      this.name = name;
      this.path = path;
      this.version = version;
      this.sha = sha;
    }

    @Nullable Installed reject(String reason) throws IOException {
      log.warn("model {} v{} ({}) rejected: {}", name, version, path, reason);
      rejected.add(sha, reason);
      slots.prune(name, slots.state(name).active(), slots.state(name).previous());
      report.accept(
          new UpdateResult(
              UpdateResult.MODEL, name, path, version, UpdateResult.Result.REJECTED, reason));
      return null;
    }
  }
}
