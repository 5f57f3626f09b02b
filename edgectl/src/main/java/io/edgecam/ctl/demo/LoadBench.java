package io.edgecam.ctl.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgecam.matcher.MatcherService;
import io.edgecam.matcher.broker.EmbeddedBroker;
import io.edgecam.matcher.config.BrokerConfig;
import io.edgecam.matcher.config.EmbeddedBrokerConfig;
import io.edgecam.matcher.config.MatcherConfig;
import io.edgecam.matcher.ingest.IngestCounters;
import io.edgecam.matcher.ingest.NoDelaySocketFactory;
import io.edgecam.matcher.watchlist.WatchlistEntry;
import io.edgecam.protocol.Box;
import io.edgecam.protocol.Candidate;
import io.edgecam.protocol.CandidateCodec;
import io.edgecam.protocol.Int8Embedding;
import io.edgecam.protocol.MalformedMessageException;
import io.edgecam.protocol.Topics;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.jspecify.annotations.Nullable;

/**
 * Fleet load on one broker and one matcher, on loopback: N simulated devices, each its own MQTT 5
 * connection, publish synthetic candidates (QoS 1) at a fixed rate. A fraction of them are near a
 * watchlist entry and must raise an alert.
 *
 * <p>Two phases, same devices, same rate, same broker, one process:
 *
 * <ol>
 *   <li><b>baseline</b>: a plain subscriber decodes and counts the candidates (broker + clients +
 *       decoding, no matcher);
 *   <li><b>matcher</b>: the real {@link MatcherService} (SQLite store, exact index, alerts) takes
 *       the candidates.
 * </ol>
 *
 * The matcher's CPU is the CPU time of its own threads in phase 2 (process CPU of both phases is
 * reported too, but includes the JIT and GC). Lost = candidates the broker acknowledged that the
 * matcher never received; every near candidate must give exactly one alert. Not thread-safe; one
 * run per instance.
 */
final class LoadBench {
  static final String SITE = "load";
  static final String MODEL = "bench-1";
  private static final int DIMS = 192;
  private static final long DRAIN_TIMEOUT_MS = 30_000;
  private static final int WARMUP_SECONDS = 3;

  /**
   * @param devices simulated devices, one connection each
   * @param ratePerDevice candidates per second per device
   * @param seconds publishing time per phase
   * @param brokerUrl external broker, or null for an embedded one
   * @param matchFraction share of candidates near a watchlist entry
   * @param watchlistSize entries enrolled
   */
  record Options(
      int devices,
      double ratePerDevice,
      int seconds,
      @Nullable String brokerUrl,
      double matchFraction,
      int watchlistSize,
      long seed) {}

  /** Result of one phase. */
  record Phase(
      String name,
      long published,
      long acked,
      long publishFailures,
      long delivered,
      long duplicates,
      long expectedAlerts,
      long alerts,
      double seconds,
      double[] latencySortedMs,
      double cpuSeconds,
      long heapUsedBytes) {
    long lost() {
      return acked - delivered;
    }
  }

  private final Options options;
  private final PrintWriter err;
  private final Random random;
  private final float[][] watchlist;
  private final List<MqttAsyncClient> clients = new ArrayList<>();
  private double matcherCpuSeconds;
  private int matcherThreads;

  LoadBench(Options options, PrintWriter err) {
    this.options = options;
    this.err = err;
    this.random = new Random(options.seed());
    this.watchlist = new float[options.watchlistSize()][];
    for (int i = 0; i < watchlist.length; i++) {
      watchlist[i] = unit(random);
    }
  }

  /** Runs both phases and returns the report. */
  ObjectNode run(Path state) throws Exception {
    EmbeddedBroker broker = null;
    String url = options.brokerUrl();
    if (url == null) {
      broker =
          EmbeddedBroker.start(
              new EmbeddedBrokerConfig(0, "127.0.0.1", state.resolve("broker").toAbsolutePath()));
      url = broker.url();
    }
    try {
      connectDevices(url);
      Phase baseline = baselinePhase(url);
      Phase matcher = matcherPhase(url, state);
      return report(baseline, matcher);
    } finally {
      for (MqttAsyncClient c : clients) {
        closeQuietly(c);
      }
      if (broker != null) {
        broker.close();
      }
    }
  }

  private void connectDevices(String url) throws MqttException {
    progress("connecting " + options.devices() + " devices to " + url + "...");
    List<IMqttToken> tokens = new ArrayList<>();
    for (int d = 0; d < options.devices(); d++) {
      MqttAsyncClient c =
          new MqttAsyncClient(url, "edgecam-load-" + deviceId(d), new MemoryPersistence());
      MqttConnectionOptions o = new MqttConnectionOptions();
      o.setCleanStart(true);
      o.setSessionExpiryInterval(0L);
      o.setAutomaticReconnect(false);
      o.setConnectionTimeout(30);
      clients.add(c);
      tokens.add(c.connect(o));
    }
    for (IMqttToken t : tokens) {
      t.waitForCompletion(30_000);
    }
  }

  private Phase baselinePhase(String url) throws Exception {
    progress("phase 1/2 (baseline: broker + plain subscriber)...");
    ConcurrentHashMap<String, Boolean> seen = new ConcurrentHashMap<>();
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    AtomicLong duplicates = new AtomicLong();
    MqttAsyncClient sub =
        new MqttAsyncClient(url, "edgecam-load-baseline", new MemoryPersistence());
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setCleanStart(true);
    o.setSessionExpiryInterval(0L);
    o.setReceiveMaximum(65_535);
    // As the matcher's own connection does: otherwise Nagle + delayed ACKs, not the broker,
    // dominate the baseline's latency.
    o.setSocketFactory(new NoDelaySocketFactory());
    sub.setCallback(
        new PahoCallback(
            msg -> {
              try {
                Candidate c = CandidateCodec.decode(msg.getPayload());
                if (seen.putIfAbsent(key(c.device(), c.sequence()), Boolean.TRUE) != null) {
                  duplicates.incrementAndGet();
                } else {
                  latencies.add(System.currentTimeMillis() - c.captureTimeMillis());
                }
              } catch (MalformedMessageException e) {
                err.println("edgecam bench load: baseline subscriber got a bad payload: " + e);
              }
            }));
    sub.connect(o).waitForCompletion(30_000);
    sub.subscribe(Topics.candidatesFilter(SITE, false), 1).waitForCompletion(30_000);
    try {
      // Unmeasured warm-up: JIT, connections and the broker's queues, so that neither phase
      // pays for them.
      progress("warming up for " + WARMUP_SECONDS + " s...");
      Publishing warm = publish(1L << 40, WARMUP_SECONDS);
      drain(() -> seen.size(), warm.acked);
      seen.clear();
      latencies.clear();
      duplicates.set(0);
      long cpu0 = processCpuNanos();
      Publishing p = publish(0, options.seconds());
      drain(() -> seen.size(), p.acked);
      long cpu1 = processCpuNanos();
      return new Phase(
          "baseline",
          p.published,
          p.acked.get(),
          p.failures.get(),
          seen.size(),
          duplicates.get(),
          0,
          0,
          p.seconds,
          sorted(latencies),
          (cpu1 - cpu0) / 1e9,
          heapUsed());
    } finally {
      closeQuietly(sub);
    }
  }

  private Phase matcherPhase(String url, Path state) throws Exception {
    progress("phase 2/2 (matcher: exact index, SQLite store, alerts)...");
    MatcherConfig config =
        MatcherConfig.embeddedIn(state.resolve("matcher"))
            .withBroker(BrokerConfig.external(url))
            .withClientId("edgecam-load-matcher")
            .withSharedSubscription(false)
            .withSite(SITE)
            .withSessionExpirySeconds(0);
    try (MatcherService matcher = MatcherService.start(config)) {
      Instant now = Instant.now();
      for (int i = 0; i < watchlist.length; i++) {
        matcher
            .watchlist()
            .enroll(
                new WatchlistEntry(
                    "load-" + i,
                    "load entry " + i,
                    List.of(Int8Embedding.quantize(watchlist[i])),
                    MODEL,
                    "benchmark: synthetic vectors, no person",
                    now.plusSeconds(86_400),
                    "bench",
                    now,
                    null));
      }
      ConcurrentHashMap<String, Boolean> alerted = new ConcurrentHashMap<>();
      ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
      AtomicLong duplicateAlerts = new AtomicLong();
      matcher.addAlertListener(
          a -> {
            if (alerted.putIfAbsent(key(a.device(), a.sequence()), Boolean.TRUE) != null) {
              duplicateAlerts.incrementAndGet();
            } else {
              latencies.add(System.currentTimeMillis() - a.captureTimeMillis());
            }
          });
      long received0 = matcher.counters().received();
      long cpu0 = processCpuNanos();
      Map<Long, Long> threads0 = matcherThreadCpu();
      // Sequences continue after phase 1's, as a device's would.
      Publishing p = publish(1L << 32, options.seconds());
      drain(() -> matcher.counters().received() - received0, p.acked);
      drain(() -> alerted.size(), p.expectedAlerts);
      long cpu1 = processCpuNanos();
      Map<Long, Long> threads1 = matcherThreadCpu();
      long matcherCpu = 0;
      for (var t : threads1.entrySet()) {
        matcherCpu += t.getValue() - threads0.getOrDefault(t.getKey(), 0L);
      }
      matcherCpuSeconds = matcherCpu / 1e9;
      matcherThreads = threads1.size();
      IngestCounters.Snapshot c = matcher.counters();
      return new Phase(
          "matcher",
          p.published,
          p.acked.get(),
          p.failures.get(),
          c.received() - received0,
          c.duplicates() + duplicateAlerts.get(),
          p.expectedAlerts.get(),
          alerted.size(),
          p.seconds,
          sorted(latencies),
          (cpu1 - cpu0) / 1e9,
          heapUsed());
    }
  }

  /** What one publishing run did. */
  private static final class Publishing {
    long published;
    final AtomicLong acked = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    final AtomicLong expectedAlerts = new AtomicLong();
    double seconds;
  }

  /**
   * Publishes from every device at the configured rate for the configured time, spreading the
   * devices evenly over each period so the broker sees a steady stream, not bursts.
   */
  private Publishing publish(long firstSequence, int seconds) throws InterruptedException {
    Publishing p = new Publishing();
    int n = options.devices();
    double total = n * options.ratePerDevice();
    long count = Math.round(total * seconds);
    long intervalNanos = Math.round(1e9 / total);
    long[] sequence = new long[n];
    Arrays.fill(sequence, firstSequence);
    long start = System.nanoTime();
    long lastProgress = start;
    for (long i = 0; i < count; i++) {
      long due = start + i * intervalNanos;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      int d = (int) (i % n);
      boolean near = random.nextDouble() < options.matchFraction();
      float[] v = near ? near(watchlist[random.nextInt(watchlist.length)], random) : unit(random);
      Candidate c =
          new Candidate(
              deviceId(d),
              sequence[d]++,
              System.currentTimeMillis(),
              1,
              900,
              new Box(10, 10, 100, 100),
              MODEL,
              Int8Embedding.quantize(v));
      MqttMessage m = new MqttMessage(CandidateCodec.encode(c));
      m.setQos(1);
      try {
        clients
            .get(d)
            .publish(
                Topics.candidates(SITE, deviceId(d)),
                m,
                null,
                new MqttActionListener() {
                  @Override
                  public void onSuccess(IMqttToken token) {
                    p.acked.incrementAndGet();
                    if (near) {
                      p.expectedAlerts.incrementAndGet();
                    }
                  }

                  @Override
                  public void onFailure(IMqttToken token, Throwable e) {
                    p.failures.incrementAndGet();
                  }
                });
        p.published++;
      } catch (MqttException e) {
        // Client-side refusal (e.g. too many in flight): counted, not lost in silence.
        p.failures.incrementAndGet();
      }
      long now = System.nanoTime();
      if (now - lastProgress > 5_000_000_000L) {
        lastProgress = now;
        progress(String.format("  %d/%d published", i + 1, count));
      }
    }
    p.seconds = (System.nanoTime() - start) / 1e9;
    return p;
  }

  /** Waits until {@code have} reaches {@code want} (which may still grow) or the drain timeout. */
  private static void drain(LongSupplier have, AtomicLong want) throws InterruptedException {
    long deadline = System.currentTimeMillis() + DRAIN_TIMEOUT_MS;
    long stableSince = System.currentTimeMillis();
    long lastWant = -1;
    while (System.currentTimeMillis() < deadline) {
      long w = want.get();
      if (w != lastWant) {
        lastWant = w;
        stableSince = System.currentTimeMillis();
      }
      // Acks can still arrive shortly after the last publish; wait for them to settle first.
      if (have.getAsLong() >= w && System.currentTimeMillis() - stableSince > 500) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }

  private ObjectNode report(Phase baseline, Phase matcher) {
    ObjectNode o = new ObjectMapper().createObjectNode();
    o.put("devices", options.devices());
    o.put("rate_per_device", options.ratePerDevice());
    o.put("offered_per_s", options.devices() * options.ratePerDevice());
    o.put("seconds", options.seconds());
    o.put("watchlist_entries", options.watchlistSize());
    o.put("match_fraction", options.matchFraction());
    o.put("broker", options.brokerUrl() == null ? "embedded" : options.brokerUrl());
    o.set("baseline", phaseJson(baseline));
    ObjectNode m = phaseJson(matcher);
    m.put("expected_alerts", matcher.expectedAlerts());
    m.put("alerts", matcher.alerts());
    m.put("alert_latency_p50_ms", percentile(matcher.latencySortedMs(), 50));
    m.put("alert_latency_p99_ms", percentile(matcher.latencySortedMs(), 99));
    m.put("matcher_cpu_s", round(matcherCpuSeconds));
    m.put("matcher_cpu_cores", round(matcherCpuSeconds / matcher.seconds()));
    m.put("matcher_threads", matcherThreads);
    m.put(
        "matcher_cpu_us_per_candidate",
        round(matcherCpuSeconds * 1e6 / Math.max(1, matcher.delivered())));
    o.set("matcher", m);
    o.put("lost", matcher.lost());
    o.put("duplicates", matcher.duplicates());
    o.put("alerts_missing", matcher.expectedAlerts() - matcher.alerts());
    o.put(
        "ok",
        matcher.lost() == 0
            && matcher.duplicates() == 0
            && matcher.alerts() == matcher.expectedAlerts()
            && matcher.publishFailures() == 0);
    return o;
  }

  private static ObjectNode phaseJson(Phase p) {
    ObjectNode o = new ObjectMapper().createObjectNode();
    o.put("published", p.published());
    o.put("acked", p.acked());
    o.put("publish_failures", p.publishFailures());
    o.put("delivered", p.delivered());
    o.put("lost", p.lost());
    o.put("delivered_per_s", round(p.delivered() / p.seconds()));
    if (p.name().equals("baseline")) {
      o.put("delivery_latency_p50_ms", percentile(p.latencySortedMs(), 50));
      o.put("delivery_latency_p99_ms", percentile(p.latencySortedMs(), 99));
    }
    o.put("process_cpu_s", round(p.cpuSeconds()));
    o.put("heap_used_mb", round(p.heapUsedBytes() / 1048576.0));
    return o;
  }

  static String deviceId(int d) {
    return String.format("load-cam-%04d", d);
  }

  private static String key(String device, long sequence) {
    return device + "/" + sequence;
  }

  private void progress(String line) {
    err.println("edgecam bench load: " + line);
    err.flush();
  }

  private static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return 0;
  }

  /**
   * CPU time by thread id of the matcher's threads: its own ({@code matcher-*}) and its MQTT
   * client's, whose names carry the client id {@code edgecam-load-matcher}. The broker and the
   * simulated devices run in other threads of this process and are not counted.
   */
  private static Map<Long, Long> matcherThreadCpu() {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Map<Long, Long> cpu = new HashMap<>();
    for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (info != null && info.getThreadName().toLowerCase(Locale.ROOT).contains("matcher")) {
        long t = mx.getThreadCpuTime(info.getThreadId());
        if (t >= 0) {
          cpu.put(info.getThreadId(), t);
        }
      }
    }
    return cpu;
  }

  private static long heapUsed() {
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    return mem.getHeapMemoryUsage().getUsed();
  }

  private static double[] sorted(ConcurrentLinkedQueue<Long> values) {
    return values.stream().mapToDouble(Long::doubleValue).sorted().toArray();
  }

  static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  private static float[] unit(Random r) {
    float[] v = new float[DIMS];
    double n = 0;
    for (int i = 0; i < DIMS; i++) {
      v[i] = (float) r.nextGaussian();
      n += v[i] * v[i];
    }
    float inv = (float) (1 / Math.sqrt(n));
    for (int i = 0; i < DIMS; i++) {
      v[i] *= inv;
    }
    return v;
  }

  /** A unit vector at cosine ~0.8 to {@code base}: a new photo of the same person. */
  private static float[] near(float[] base, Random r) {
    float[] noise = unit(r);
    float[] v = new float[DIMS];
    double n = 0;
    for (int i = 0; i < DIMS; i++) {
      v[i] = 0.8f * base[i] + 0.6f * noise[i];
      n += v[i] * v[i];
    }
    float inv = (float) (1 / Math.sqrt(n));
    for (int i = 0; i < DIMS; i++) {
      v[i] *= inv;
    }
    return v;
  }

  /** Hands every arriving message to {@code onMessage}; ignores the other callbacks. */
  private record PahoCallback(java.util.function.Consumer<MqttMessage> onMessage)
      implements MqttCallback {
    @Override
    public void messageArrived(String topic, MqttMessage message) {
      onMessage.accept(message);
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {}

    @Override
    public void mqttErrorOccurred(MqttException exception) {}

    @Override
    public void deliveryComplete(IMqttToken token) {}

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {}

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {}
  }

  private static void closeQuietly(MqttAsyncClient c) {
    try {
      if (c.isConnected()) {
        c.disconnect().waitForCompletion(5_000);
      }
      c.close();
    } catch (MqttException e) {
      // Shutting down: nothing left to do with this client.
    }
  }
}
