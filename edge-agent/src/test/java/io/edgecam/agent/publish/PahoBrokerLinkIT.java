package io.edgecam.agent.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgecam.agent.config.MqttConfig;
import io.edgecam.agent.config.TlsConfig;
import io.edgecam.agent.spool.SqliteCandidateSpool;
import io.edgecam.protocol.Box;
import io.edgecam.protocol.Candidate;
import io.edgecam.protocol.CandidateCodec;
import io.edgecam.protocol.Int8Embedding;
import io.edgecam.protocol.JsonMessages;
import io.edgecam.protocol.Status;
import io.edgecam.protocol.Topics;
import io.edgecam.testing.MosquittoProcess;
import io.edgecam.testing.TestSubscriber;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongFunction;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The broker link and spool publisher against a real Mosquitto of the test's own. */
class PahoBrokerLinkIT {
  private static final Logger log = LoggerFactory.getLogger(PahoBrokerLinkIT.class);
  private static final String SITE = "it-site";
  private static final String DEVICE = "cam-it";
  private static final String CANDIDATES = Topics.candidates(SITE, DEVICE);
  private static final String STATUS = Topics.status(SITE, DEVICE);

  @TempDir Path dir;
  private MosquittoProcess broker;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @BeforeEach
  void startBroker() throws Exception {
    broker = MosquittoProcess.start(dir);
  }

  @AfterEach
  void stopAll() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
    broker.close();
  }

  private <T extends AutoCloseable> T closeLater(T c) {
    closeables.add(c);
    return c;
  }

  private MqttConfig mqtt(int window) {
    return new MqttConfig(
        broker.url(), null, null, null, new TlsConfig(null, null, null), 3600, window, 30, 60);
  }

  private PahoBrokerLink link(int window) {
    byte[] will = JsonMessages.encode(Status.offline(SITE, DEVICE, System.currentTimeMillis()));
    return closeLater(
        new PahoBrokerLink(
            mqtt(window), "edgecam-agent-" + DEVICE, new PahoBrokerLink.Will(STATUS, will)));
  }

  private static LongFunction<Candidate> candidate() {
    float[] e = new float[192];
    for (int i = 0; i < e.length; i++) {
      e[i] = (float) Math.sin(i + 1);
    }
    Int8Embedding q = Int8Embedding.quantize(e);
    return seq ->
        new Candidate(
            DEVICE,
            seq,
            System.currentTimeMillis(),
            1,
            900,
            new Box(10, 20, 100, 120),
            "mobilefacenet@1",
            q);
  }

  private TestSubscriber subscriber(String filter, boolean candidates) throws Exception {
    return closeLater(
        new TestSubscriber(
            broker.url(),
            "it-sub-" + System.nanoTime(),
            filter,
            candidates ? p -> CandidateCodec.decode(p).sequence() : null));
  }

  @Test
  void windowStaysBelowTheBrokersReceiveMaximum() throws Exception {
    PahoBrokerLink link = link(500);
    link.start();

    assertThat(link.awaitConnected(Duration.ofSeconds(10))).isTrue();
    assertThat(link.windowLimit()).as("Mosquitto's receive maximum is 20").isEqualTo(19);
  }

  @Test
  void burstOf5000PublishesFromFourThreadsNeverFails() throws Exception {
    TestSubscriber sub = subscriber(Topics.ALL_CANDIDATES, false);
    PahoBrokerLink link = link(500);
    link.start();
    assertThat(link.awaitConnected(Duration.ofSeconds(10))).isTrue();
    byte[] payload = new byte[200];

    ExecutorService pool = Executors.newFixedThreadPool(4);
    long started = System.nanoTime();
    List<Future<List<CompletableFuture<Void>>>> work = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      work.add(
          pool.submit(
              () -> {
                List<CompletableFuture<Void>> acks = new ArrayList<>();
                for (int i = 0; i < 1250; i++) {
                  acks.add(link.publish(CANDIDATES, payload, false, Duration.ofSeconds(30)));
                }
                return acks;
              }));
    }
    List<CompletableFuture<Void>> acks = new ArrayList<>();
    for (Future<List<CompletableFuture<Void>>> f : work) {
      acks.addAll(f.get());
    }
    CompletableFuture.allOf(acks.toArray(new CompletableFuture<?>[0])).get();
    long ms = Math.max(1, (System.nanoTime() - started) / 1_000_000);
    pool.shutdown();

    assertThat(acks).hasSize(5000).allMatch(a -> a.isDone() && !a.isCompletedExceptionally());
    await().atMost(Duration.ofSeconds(30)).until(() -> sub.received.get() >= 5000);
    log.info(
        "MEASURED burst: 5000 QoS 1 publishes acknowledged in {} ms ({} msg/s), window {}",
        ms,
        5000 * 1000 / ms,
        link.windowLimit());
  }

  @Test
  void spoolBurstOf5000IsDeliveredAndDeleted() throws Exception {
    TestSubscriber sub = subscriber(CANDIDATES, true);
    SqliteCandidateSpool spool =
        closeLater(SqliteCandidateSpool.open(dir.resolve("spool.db"), DEVICE, 10_000));
    for (int i = 0; i < 5000; i++) {
      spool.append(candidate());
    }
    PahoBrokerLink link = link(8);
    SpoolPublisher publisher = closeLater(new SpoolPublisher(spool, link, CANDIDATES));

    long started = System.nanoTime();
    link.start();
    publisher.start();

    assertThat(publisher.awaitDrained(Duration.ofSeconds(60))).isTrue();
    long ms = Math.max(1, (System.nanoTime() - started) / 1_000_000);
    await().atMost(Duration.ofSeconds(30)).until(() -> sub.sequences.size() == 5000);
    assertThat(publisher.failures()).isZero();
    assertThat(publisher.published()).isEqualTo(5000);
    assertThat(spool.size()).isZero();
    log.info(
        "MEASURED spool drain: 5000 candidates published and deleted in {} ms ({} /s), window 8",
        ms,
        5000 * 1000 / ms);
  }

  @Test
  void brokerRestartMidStreamLosesNoCandidate() throws Exception {
    TestSubscriber sub = subscriber(CANDIDATES, true);
    SqliteCandidateSpool spool =
        closeLater(SqliteCandidateSpool.open(dir.resolve("spool.db"), DEVICE, 10_000));
    for (int i = 0; i < 3000; i++) {
      spool.append(candidate());
    }
    PahoBrokerLink link = link(8);
    SpoolPublisher publisher = closeLater(new SpoolPublisher(spool, link, CANDIDATES));
    link.start();
    publisher.start();
    await().atMost(Duration.ofSeconds(30)).until(() -> sub.sequences.size() >= 300);

    broker.stop();
    await().atMost(Duration.ofSeconds(10)).until(() -> !link.isConnected());
    for (int i = 0; i < 1000; i++) {
      spool.append(candidate()); // the camera keeps going during the outage
    }
    long restarted = System.nanoTime();
    broker.restart();
    await().atMost(Duration.ofSeconds(30)).until(link::isConnected);
    long reconnectMs = (System.nanoTime() - restarted) / 1_000_000;

    assertThat(publisher.awaitDrained(Duration.ofSeconds(60))).isTrue();
    await().atMost(Duration.ofSeconds(30)).until(() -> sub.sequences.size() == 4000);
    List<Long> expected = LongStream.rangeClosed(1, 4000).boxed().collect(Collectors.toList());
    assertThat(sub.sequences).containsExactlyInAnyOrderElementsOf(expected);
    log.info(
        "MEASURED broker restart: reconnected {} ms after the broker came back; {} messages"
            + " received for 4000 candidates ({} duplicates)",
        reconnectMs,
        sub.received.get(),
        sub.received.get() - 4000);
  }

  @Test
  void retainedOnlineStatusOnConnectAndLastWillWhenTheAgentDies() throws Exception {
    TestSubscriber sub = subscriber(STATUS, false);
    PahoBrokerLink link = link(8);
    StatusReporter reporter =
        closeLater(
            new StatusReporter(
                link,
                STATUS,
                () ->
                    new Status(
                        1,
                        DEVICE,
                        SITE,
                        Status.ONLINE,
                        System.currentTimeMillis(),
                        Map.of("agent", "test"),
                        Map.of("broker", link.health()),
                        Map.of("frames", 1L)),
                () -> Status.offline(SITE, DEVICE, System.currentTimeMillis())));
    reporter.start(Duration.ofSeconds(60));
    link.start();

    await().atMost(Duration.ofSeconds(10)).until(() -> lastState(sub).equals(Status.ONLINE));

    link.dieForTest();

    await().atMost(Duration.ofSeconds(10)).until(() -> lastState(sub).equals(Status.OFFLINE));
  }

  @Test
  void cleanStopLeavesRetainedOfflineStatus() throws Exception {
    PahoBrokerLink link = link(8);
    StatusReporter reporter =
        new StatusReporter(
            link,
            STATUS,
            () -> new Status(1, DEVICE, SITE, Status.ONLINE, 1, null, null, null),
            () -> Status.offline(SITE, DEVICE, 2));
    reporter.start(Duration.ofSeconds(60));
    link.start();
    assertThat(link.awaitConnected(Duration.ofSeconds(10))).isTrue();

    reporter.close();
    link.close();

    TestSubscriber late = subscriber(STATUS, false);
    await().atMost(Duration.ofSeconds(10)).until(() -> lastState(late).equals(Status.OFFLINE));
  }

  private static String lastState(TestSubscriber sub) {
    if (sub.payloads.isEmpty()) {
      return "";
    }
    String last = sub.payloads.get(sub.payloads.size() - 1);
    return JsonMessages.decodeStatus(last.getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .state();
  }
}
