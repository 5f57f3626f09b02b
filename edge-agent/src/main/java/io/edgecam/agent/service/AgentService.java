package io.edgecam.agent.service;

import io.edgecam.agent.capture.FrameSource;
import io.edgecam.agent.config.AgentConfig;
import io.edgecam.agent.config.UpdatesConfig;
import io.edgecam.agent.metrics.AgentMetrics;
import io.edgecam.agent.publish.EventPublisher;
import io.edgecam.agent.publish.PahoBrokerLink;
import io.edgecam.agent.publish.SpoolPublisher;
import io.edgecam.agent.publish.StatusReporter;
import io.edgecam.agent.spool.CandidateEncoder;
import io.edgecam.agent.spool.CandidateSpool;
import io.edgecam.agent.spool.SqliteCandidateSpool;
import io.edgecam.agent.spool.SqliteEventSpool;
import io.edgecam.agent.track.BestShot;
import io.edgecam.agent.track.Face;
import io.edgecam.agent.track.IouTracker;
import io.edgecam.agent.update.UpdateClient;
import io.edgecam.agent.update.mqtt.MqttTufFetcher;
import io.edgecam.face.image.Frame;
import io.edgecam.protocol.Candidate;
import io.edgecam.protocol.DeviceEvent;
import io.edgecam.protocol.Health;
import io.edgecam.protocol.Int8Embedding;
import io.edgecam.protocol.JsonMessages;
import io.edgecam.protocol.Status;
import io.edgecam.protocol.Topics;
import io.edgecam.protocol.tuf.DirectoryFetcher;
import io.edgecam.protocol.tuf.TufFetcher;
import io.edgecam.runtime.metrics.MetricsEndpoint;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge agent: source -> face analyzer -> tracker -> prefilter -> spool -> publisher, plus the
 * retained status with heartbeat. Threads (docs/concurrency.md): {@code edgecam-pipeline} captures
 * and analyzes frames and appends candidates; {@code edgecam-publisher} drains the spool; {@code
 * edgecam-mqtt} (re)connects; {@code edgecam-status} publishes status; {@code edgecam-events} sends
 * events; with {@code updates.enabled}, {@code edgecam-updates} applies watchlists and models.
 *
 * <p>Use: {@code try (AgentService s = AgentService.create(config)) { s.start(); ... }}, or {@link
 * #runOnce(Duration)} to process a finite source and wait until everything is sent.
 */
public final class AgentService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AgentService.class);

  private final AgentConfig config;
  private final FaceAnalyzer analyzer;
  private final Prefilter prefilter;
  private final CandidateSpool spool;
  private final PahoBrokerLink link;
  private final SpoolPublisher publisher;
  private final StatusReporter status;
  private final EventPublisher events;
  private final SqliteEventSpool eventSpool;

  /** Most device events kept on disk while the broker is unreachable; the oldest go first. */
  static final int EVENT_CAPACITY = 1_000;

  private final @Nullable UpdateClient updates;
  private final IouTracker tracker;
  private final AgentCounters counters = new AgentCounters();
  private final AgentMetrics metrics;
  private @Nullable MetricsEndpoint metricsEndpoint;
  private final CountDownLatch sourceDone = new CountDownLatch(1);
  private volatile @Nullable FrameSource source;
  private @Nullable Thread pipelineThread;
  private boolean closed;
  // systemd watchdog hook (issue 6), read by io.edgecam.agent.systemd.AgentLiveness.
  private volatile long lastProgressNanos = System.nanoTime();
  private volatile boolean pipelineFailed;
  // GPIO hooks (issue 6): motion gate, extra health (io.edgecam.agent.gpio).
  private volatile FrameGate gate = FrameGate.OPEN;
  private final Map<String, Supplier<Health>> extraHealth = new ConcurrentHashMap<>();

  /**
   * Wires the agent around {@code analyzer}; opens the spool but connects nothing until {@link
   * #start()}.
   *
   * @throws io.edgecam.agent.spool.SpoolException if the spool cannot be opened
   */
  public AgentService(AgentConfig config, FaceAnalyzer analyzer, Prefilter prefilter) {
    this(config, analyzer, prefilter, null);
  }

  /**
   * Wires the agent around an update client: its analyzer (models swapped by updates) and its
   * watchlist prefilter; the client starts with the agent and closes with it (and the analyzer).
   *
   * @throws io.edgecam.agent.spool.SpoolException if the spool cannot be opened
   */
  public AgentService(AgentConfig config, UpdateClient updates) {
    this(config, updates.analyzer(), updates.prefilter(), updates);
  }

  private AgentService(
      AgentConfig config,
      FaceAnalyzer analyzer,
      Prefilter prefilter,
      @Nullable UpdateClient updates) {
    this.config = config;
    this.updates = updates;
    this.analyzer = analyzer;
    this.prefilter = prefilter;
    this.tracker = new IouTracker(config.tracker());
    this.spool =
        SqliteCandidateSpool.open(
            config.spoolFile(),
            config.device(),
            config.spool().maxCandidates(),
            config.spool().minFreeBytes(),
            CandidateEncoder.forKeyFile(config.sealing().matcherPublicKey()));
    try {
      this.eventSpool =
          SqliteEventSpool.open(
              config.spoolFile().resolveSibling(SqliteEventSpool.FILE), EVENT_CAPACITY);
    } catch (RuntimeException e) {
      spool.close();
      throw e;
    }
    String statusTopic = Topics.status(config.site(), config.device());
    byte[] will = JsonMessages.encode(offlineStatus());
    this.link =
        new PahoBrokerLink(
            config.mqtt(), config.clientId(), new PahoBrokerLink.Will(statusTopic, will));
    this.metrics =
        new AgentMetrics(
            new AgentMetrics.Sources(
                counters::frames,
                counters::faces,
                counters::candidates,
                counters::prefiltered,
                this::published,
                spool::size,
                spool::dropped));
    link.onConnected(metrics::connected);
    this.publisher =
        new SpoolPublisher(
            spool,
            link,
            Topics.candidates(config.site(), config.device()),
            metrics::publishLatency);
    this.status = new StatusReporter(link, statusTopic, this::onlineStatus, this::offlineStatus);
    this.events =
        new EventPublisher(link, Topics.events(config.site(), config.device()), eventSpool);
  }

  /**
   * The agent with the TFLite face pipeline and the pass-all prefilter; with {@code
   * updates.enabled}, the models and watchlist prefilter of an {@link UpdateClient}.
   *
   * @throws io.edgecam.face.inference.ModelLoadException if a model is missing or corrupt
   * @throws io.edgecam.runtime.config.ConfigException if the provisioned root is missing
   */
  public static AgentService create(AgentConfig config) {
    if (config.updates().enabled()) {
      UpdateClient updates = UpdateClient.open(config, agentVersion());
      try {
        return new AgentService(config, updates);
      } catch (RuntimeException e) {
        updates.close();
        throw e;
      }
    }
    FaceAnalyzer analyzer = FacePipelineAnalyzer.open(config.pipeline());
    try {
      return new AgentService(config, analyzer, Prefilter.PASS_ALL);
    } catch (RuntimeException e) {
      analyzer.close();
      throw e;
    }
  }

  /** Where update metadata and targets come from (closed by the update client). */
  private TufFetcher fetcher() {
    UpdatesConfig u = config.updates();
    if (u.transport() == UpdatesConfig.Transport.DIRECTORY) {
      return new DirectoryFetcher(Objects.requireNonNull(u.repository()));
    }
    // On the agent's one connection: retained update topics of the site, chunks staged for resume.
    return new MqttTufFetcher(
        link.mqtt(),
        config.site(),
        config.updatesDir().resolve("staging"),
        MqttTufFetcher.Settings.DEFAULTS);
  }

  /** The agent's version (jar manifest), {@code dev} when run from classes. */
  public static String agentVersion() {
    String v = AgentService.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /**
   * Opens the frame source and starts every thread.
   *
   * @throws io.edgecam.agent.capture.CaptureException if the source cannot be opened
   */
  public synchronized void start() {
    if (pipelineThread != null) {
      throw new IllegalStateException("already started");
    }
    FrameSource s = FrameSource.open(config.source());
    source = s;
    lastProgressNanos = System.nanoTime();
    if (config.metrics().enabled()) {
      metricsEndpoint = MetricsEndpoint.start(config.metrics(), metrics::scrape, this::health);
    }
    status.start(Duration.ofSeconds(config.mqtt().heartbeatSeconds()));
    events.start();
    link.start();
    publisher.start();
    if (updates != null) {
      updates.start(fetcher(), events::publish);
    }
    Thread t = new Thread(() -> runPipeline(s), "edgecam-pipeline");
    t.setDaemon(true);
    pipelineThread = t;
    t.start();
    log.info(
        "agent {} at site {} started: {} -> {}",
        config.device(),
        config.site(),
        config.source().type().name().toLowerCase(),
        config.mqtt().url());
  }

  private void runPipeline(FrameSource s) {
    try {
      Frame frame;
      boolean admitted = true;
      while ((frame = s.next()) != null) {
        if (!gate.admit()) {
          counters.idleFrames.incrementAndGet();
          lastProgressNanos = System.nanoTime(); // reading frames is progress for the watchdog
          if (admitted) {
            offer(tracker.flush()); // motion ended: send the pending best shots now
          }
          admitted = false;
          continue;
        }
        admitted = true;
        long now = System.currentTimeMillis();
        long started = System.nanoTime();
        List<Face> faces = analyzer.analyze(frame);
        metrics.inference(System.nanoTime() - started);
        counters.frames.incrementAndGet();
        lastProgressNanos = System.nanoTime();
        counters.faces.addAndGet(faces.size());
        offer(tracker.update(now, faces));
      }
      offer(tracker.flush());
      log.info("frame source ended after {} frames", counters.frames());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      offer(tracker.flush()); // pending best shots go to the spool, sent now or next start
    } catch (RuntimeException e) {
      pipelineFailed = true;
      log.error("pipeline stopped: {}", e.getMessage(), e);
    } finally {
      sourceDone.countDown();
    }
  }

  private void offer(List<BestShot> shots) {
    for (BestShot shot : shots) {
      counters.candidates.incrementAndGet();
      if (!prefilter.accept(shot)) {
        counters.prefiltered.incrementAndGet();
        continue;
      }
      Int8Embedding embedding = Int8Embedding.quantize(shot.face().embedding());
      int quality = Math.round(shot.face().quality() * 1000);
      Candidate stored =
          spool.append(
              seq ->
                  new Candidate(
                      config.device(),
                      seq,
                      shot.captureTimeMillis(),
                      shot.trackId(),
                      quality,
                      shot.face().box(),
                      analyzer.modelTag(),
                      embedding));
      if (stored == null) {
        continue; // disk full: dropped and counted by the spool (spool_dropped)
      }
      counters.spooled.incrementAndGet();
      publisher.wake();
    }
  }

  /**
   * Starts, processes the source to its end, and waits until the spool is drained.
   *
   * @return whether everything was acknowledged by the broker within {@code timeout}
   */
  public boolean runOnce(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    start();
    if (!sourceDone.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
      return false;
    }
    return publisher.awaitDrained(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
  }

  /**
   * Waits until the spool is empty and nothing is in flight.
   *
   * @return whether that happened within {@code timeout}
   */
  public boolean awaitDrained(Duration timeout) throws InterruptedException {
    return publisher.awaitDrained(timeout);
  }

  /** Blocks until the frame source has ended (never, for a live or looping source). */
  public void awaitSourceEnd() throws InterruptedException {
    sourceDone.await();
  }

  /**
   * {@link System#nanoTime()} of the last analyzed frame, or of {@link #start()}: the systemd
   * watchdog's measure of progress.
   */
  public long lastProgressNanos() {
    return lastProgressNanos;
  }

  /** Whether the pipeline thread stopped on an error (rather than at the source's end). */
  public boolean pipelineFailed() {
    return pipelineFailed;
  }

  /** Whether the pipeline thread has finished: the source ended, failed or the agent closed. */
  public boolean pipelineEnded() {
    return sourceDone.getCount() == 0;
  }

  /**
   * Analyzes only the frames {@code gate} admits (e.g. while a PIR sensor sees motion). Call before
   * {@link #start()}.
   */
  public void gateFrames(FrameGate gate) {
    this.gate = gate;
  }

  /**
   * Sends a device event ({@code tamper}, {@code update}, ...) on the events topic: kept in the
   * events spool ({@code events.db} next to the candidate spool) until the broker acknowledged it,
   * across restarts; never blocks on the network. Any thread.
   *
   * @param detail free-form text fields; never personal data
   */
  public void publishEvent(String type, Map<String, String> detail) {
    events.publish(new DeviceEvent(1, config.device(), System.currentTimeMillis(), type, detail));
  }

  /**
   * Adds a component to {@link #health()} and the status topic (e.g. "gpio"); {@code health} is
   * called on the status and LED threads, so it must be fast and thread-safe.
   */
  public void addHealth(String component, Supplier<Health> health) {
    extraHealth.put(component, health);
  }

  /** Counters of this run. */
  public AgentCounters counters() {
    return counters;
  }

  /**
   * Deletes the local watchlist copy and stops sending candidates until a newer watchlist arrives
   * (tamper switch; docs/updates.md, "Wipe"). Any thread. Without updates it does nothing.
   *
   * @return what was erased, for the tamper event (never personal data)
   */
  public String wipeWatchlist() {
    UpdateClient u = updates;
    if (u == null) {
      return "nothing: updates are off, this agent keeps no local watchlist";
    }
    String version = u.versions().getOrDefault("watchlist", "0");
    u.wipeWatchlist();
    return "0".equals(version)
        ? "nothing held; sending stopped until a newer watchlist"
        : "watchlist v" + version + "; sending stopped until a newer watchlist";
  }

  /** Whether a signed update is being applied now (the status LED's "updating" pattern). */
  public boolean updating() {
    UpdateClient u = updates;
    return u != null && u.updating();
  }

  /** Sends events ({@link io.edgecam.protocol.DeviceEvent}) to the device's events topic. */
  public EventPublisher events() {
    return events;
  }

  /** Prometheus metrics of this agent (also served on {@code /metrics} when enabled). */
  public AgentMetrics metrics() {
    return metrics;
  }

  /** Port of the {@code /metrics} endpoint, or -1 when it is not running. */
  public int metricsPort() {
    MetricsEndpoint e = metricsEndpoint;
    return e == null ? -1 : e.port();
  }

  /** Candidates acknowledged by the broker. */
  public long published() {
    return publisher.published();
  }

  /** Payload bytes acknowledged by the broker. */
  public long bytesPublished() {
    return publisher.bytesPublished();
  }

  /** Candidates dropped by the full spool, ever (persisted). */
  public long dropped() {
    return spool.dropped();
  }

  /** Health by component: camera, model, broker, spool, and those added by {@link #addHealth}. */
  public Map<String, Health> health() {
    Map<String, Health> h = new LinkedHashMap<>();
    FrameSource s = source;
    h.put("camera", s == null ? Health.degraded("not started") : s.health());
    h.put("model", analyzer.health());
    if (updates != null) {
      h.put("updates", updates.health());
    }
    h.put("broker", link.health());
    long dropped = spool.dropped();
    h.put(
        "spool",
        dropped == 0 ? Health.ok() : Health.degraded(dropped + " candidates dropped (spool full)"));
    extraHealth.forEach((component, health) -> h.put(component, health.get()));
    return h;
  }

  private Status onlineStatus() {
    Map<String, String> versions = new LinkedHashMap<>();
    versions.put("agent", agentVersion());
    versions.putAll(analyzer.versions());
    if (updates != null) {
      versions.putAll(updates.versions());
    }
    Map<String, Long> c = counters.asMap();
    c.put("published", publisher.published());
    c.put("spool_size", spool.size());
    c.put("spool_dropped", spool.dropped());
    FrameSource s = source;
    c.put("frames_skipped", s == null ? 0 : s.skipped());
    c.putAll(analyzer.counters());
    return new Status(
        1,
        config.device(),
        config.site(),
        Status.ONLINE,
        System.currentTimeMillis(),
        versions,
        health(),
        c);
  }

  private Status offlineStatus() {
    return Status.offline(config.site(), config.device(), System.currentTimeMillis());
  }

  /**
   * Stops capture, puts pending best shots into the spool, publishes the offline status and
   * disconnects. Candidates not yet acknowledged stay in the spool for the next start.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    Thread t = pipelineThread;
    if (t != null) {
      t.interrupt();
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (metricsEndpoint != null) {
      metricsEndpoint.close();
    }
    publisher.close();
    if (updates != null) {
      updates.close(); // stops the update thread, then closes the analyzer
    }
    events.close();
    eventSpool.close();
    status.close();
    link.close();
    FrameSource s = source;
    if (s != null) {
      s.close();
    }
    spool.close();
    if (updates == null) {
      analyzer.close();
    }
    log.info(
        "agent stopped: {} frames, {} faces, {} candidates, {} published, {} dropped",
        counters.frames(),
        counters.faces(),
        counters.candidates(),
        publisher.published(),
        spool.dropped());
  }
}
