package io.edgecam.agent.update.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.MissingNode;
import io.edgecam.agent.config.MqttConfig;
import io.edgecam.agent.config.TlsConfig;
import io.edgecam.protocol.tuf.DirectoryMetadataStore;
import io.edgecam.protocol.tuf.FetchLimits;
import io.edgecam.protocol.tuf.Lifetimes;
import io.edgecam.protocol.tuf.RoleKeys;
import io.edgecam.protocol.tuf.TargetInfo;
import io.edgecam.protocol.tuf.TopLevel;
import io.edgecam.protocol.tuf.TufException;
import io.edgecam.protocol.tuf.TufRepository;
import io.edgecam.protocol.tuf.TufUpdater;
import io.edgecam.protocol.tuf.mqtt.TargetChunk;
import io.edgecam.protocol.tuf.mqtt.UpdateMessages;
import io.edgecam.protocol.tuf.mqtt.UpdateTopics;
import io.edgecam.testing.MosquittoProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The device's update transport against a real Mosquitto (a private process): a repository's files
 * published as retained chunks and metadata, read back by {@link MqttTufFetcher} through {@link
 * TufUpdater}, and the transport attacks (mix-and-match, endless data, arbitrary content) and
 * resume after a restart.
 */
class MqttTufFetcherIT {
  private static final String SITE = "site-1";
  private static final String MODEL_PATH = "models/detector-v2.tflite";
  private static final int CHUNK = 16 * 1024;

  @TempDir Path dir;
  private MosquittoProcess broker;
  private MqttClient publisher;
  private TufRepository repo;
  private byte[] trustedRoot;
  private final byte[] model = random(20 * CHUNK + 123, 7); // 21 chunks
  private final List<AutoCloseable> closeables = new java.util.ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    broker = MosquittoProcess.start(dir.resolve("mosquitto"));
    publisher = new MqttClient(broker.url(), "maintainer", new MemoryPersistence());
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setCleanStart(true);
    publisher.connect(o);
    repo =
        TufRepository.create(
            Map.of(
                TopLevel.ROOT, RoleKeys.generate(1, 1),
                TopLevel.TARGETS, RoleKeys.generate(1, 1),
                TopLevel.SNAPSHOT, RoleKeys.generate(1, 1),
                TopLevel.TIMESTAMP, RoleKeys.generate(1, 1)),
            Clock.systemUTC(),
            Lifetimes.DEFAULTS);
    repo.delegate("models", RoleKeys.generate(1, 1), List.of("models/*"), true);
    repo.addTarget("models", MODEL_PATH, model, MissingNode.getInstance());
    repo.publish();
    trustedRoot = repo.root().toBytes();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
    if (publisher != null && publisher.isConnected()) {
      publisher.disconnect();
      publisher.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  private static byte[] random(int n, int seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private void publishAll() throws MqttException {
    publish(UpdateMessages.of(SITE, repo.current(), CHUNK));
  }

  private void publish(List<UpdateMessages.Message> messages) throws MqttException {
    for (UpdateMessages.Message m : messages) {
      publisher.publish(m.topic(), m.payload(), 1, true);
    }
  }

  private MqttTufFetcher fetcher(Duration timeout) {
    MqttConfig mqtt =
        new MqttConfig(
            broker.url(), null, null, null, new TlsConfig(null, null, null), 0, 10, 30, 60);
    MqttTufFetcher f =
        new MqttTufFetcher(
            mqtt,
            "dev-upd-" + closeables.size(),
            SITE,
            dir.resolve("staging"),
            MqttTufFetcher.Settings.DEFAULTS.withTimeout(timeout));
    closeables.add(f);
    return f;
  }

  private TufUpdater updater(MqttTufFetcher fetcher) throws Exception {
    Path store = dir.resolve("device-tuf");
    if (!Files.exists(store.resolve("root.json"))) {
      Files.createDirectories(store);
      new DirectoryMetadataStore(store).save(TopLevel.ROOT, trustedRoot);
    }
    return new TufUpdater(
        new DirectoryMetadataStore(store), fetcher, Clock.systemUTC(), FetchLimits.DEFAULTS);
  }

  @Test
  void roundTripPublishFetchVerify() throws Exception {
    publishAll();
    MqttTufFetcher f = fetcher(Duration.ofSeconds(10));
    TufUpdater updater = updater(f);

    long t0 = System.nanoTime();
    updater.refresh();
    byte[] got = updater.download(updater.targetInfo(MODEL_PATH));
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

    assertThat(got).isEqualTo(model);
    assertThat(updater.trustedVersions()).containsEntry("models", 1L);
    assertThat(f.stats().chunksReceived()).isEqualTo(21);
    assertThat(f.stats().bytesReceived()).isEqualTo(model.length);
    assertThat(dir.resolve("staging").resolve(sha(model))).doesNotExist(); // cleaned up
    System.out.printf(
        "{\"transport\":\"mosquitto\",\"target_bytes\":%d,\"chunks\":21,\"refresh_and_download_ms\":%d}%n",
        model.length, ms);

    // a new version published later is picked up by the same connection
    byte[] model3 = random(3 * CHUNK, 8);
    repo.addTarget("models", MODEL_PATH, model3, MissingNode.getInstance());
    repo.publish();
    publishAll();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              updater.refresh();
              assertThat(updater.download(updater.targetInfo(MODEL_PATH))).isEqualTo(model3);
            });
  }

  @Test
  void mixAndMatchChunksOfAnotherVersionAreDroppedAndTheDownloadFails() throws Exception {
    // The metadata of version 2 names model2; the broker holds chunks of version 1 on its topics.
    byte[] model2 = random(model.length, 99);
    repo.addTarget("models", MODEL_PATH, model2, MissingNode.getInstance());
    repo.publish();
    TufRepository.Current current = repo.current();
    String path2 = current.targets().keySet().iterator().next();
    List<UpdateMessages.Message> messages =
        UpdateMessages.of(SITE, current.metadata(), Map.of(), CHUNK);
    for (TargetChunk c : TargetChunk.split(model, CHUNK)) { // version 1's chunks
      messages.add(
          0, new UpdateMessages.Message(UpdateTopics.chunk(SITE, path2, c.index()), c.encode()));
    }
    publish(messages);
    MqttTufFetcher f = fetcher(Duration.ofSeconds(2));
    TufUpdater updater = updater(f);
    updater.refresh();
    TargetInfo info = updater.targetInfo(MODEL_PATH);

    assertThatThrownBy(() -> updater.download(info))
        .isInstanceOfSatisfying(
            TufException.class, e -> assertThat(e.kind()).isEqualTo(TufException.Kind.NOT_FOUND));
    assertThat(f.stats().chunksDropped()).isGreaterThanOrEqualTo(1);
    assertThat(f.stats().chunksReceived()).isZero();
  }

  @Test
  void endlessDataChunksDeclaringMoreThanTheSignedLengthAreRefused() throws Exception {
    TufRepository.Current current = repo.current();
    String path = current.targets().keySet().iterator().next();
    List<UpdateMessages.Message> messages =
        UpdateMessages.of(SITE, current.metadata(), Map.of(), CHUNK);
    // right hash, but a layout of 100 MB: the fetcher must refuse it before storing anything
    long huge = 100L << 20;
    int count = (int) (huge / CHUNK);
    byte[] sha = java.util.HexFormat.of().parseHex(sha(model));
    for (int i = 0; i < 3; i++) {
      TargetChunk c = new TargetChunk(sha, huge, CHUNK, i, count, new byte[CHUNK]);
      messages.add(0, new UpdateMessages.Message(UpdateTopics.chunk(SITE, path, i), c.encode()));
    }
    publish(messages);
    MqttTufFetcher f = fetcher(Duration.ofSeconds(5));
    TufUpdater updater = updater(f);
    updater.refresh();
    TargetInfo info = updater.targetInfo(MODEL_PATH);

    long t0 = System.nanoTime();
    assertThatThrownBy(() -> updater.download(info))
        .isInstanceOfSatisfying(
            TufException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(TufException.Kind.LENGTH);
              assertThat(e.getMessage()).contains("endless data").contains(String.valueOf(huge));
            });
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
    assertThat(f.stats().chunksRefused()).isGreaterThanOrEqualTo(1);
    assertThat(stagedChunks(sha(model))).isZero();
  }

  @Test
  void arbitraryContentWithTheRightHeaderFailsTheHashAndIsNotKept() throws Exception {
    TufRepository.Current current = repo.current();
    String path = current.targets().keySet().iterator().next();
    List<UpdateMessages.Message> messages =
        UpdateMessages.of(SITE, current.metadata(), Map.of(), CHUNK);
    byte[] evil = model.clone();
    evil[5 * CHUNK + 17] ^= 1;
    byte[] realSha = java.util.HexFormat.of().parseHex(sha(model));
    for (TargetChunk c : TargetChunk.split(evil, CHUNK)) {
      TargetChunk forged =
          new TargetChunk(realSha, c.totalLength(), CHUNK, c.index(), c.count(), c.data());
      messages.add(
          0,
          new UpdateMessages.Message(UpdateTopics.chunk(SITE, path, c.index()), forged.encode()));
    }
    publish(messages);
    MqttTufFetcher f = fetcher(Duration.ofSeconds(5));
    TufUpdater updater = updater(f);
    updater.refresh();
    TargetInfo info = updater.targetInfo(MODEL_PATH);

    assertThatThrownBy(() -> updater.download(info))
        .isInstanceOfSatisfying(
            TufException.class,
            e -> assertThat(e.kind()).isEqualTo(TufException.Kind.HASH_MISMATCH));
    assertThat(dir.resolve("staging").resolve(sha(model))).doesNotExist();
  }

  @Test
  void resumeAfterRestartDoesNotRefetchCompletedChunks() throws Exception {
    TufRepository.Current current = repo.current();
    List<UpdateMessages.Message> all = UpdateMessages.of(SITE, current, CHUNK);
    String chunkPrefix = UpdateTopics.prefix(SITE) + "/targets/";
    List<UpdateMessages.Message> chunks =
        all.stream().filter(m -> m.topic().startsWith(chunkPrefix)).toList();
    List<UpdateMessages.Message> meta =
        all.stream().filter(m -> !m.topic().startsWith(chunkPrefix)).toList();
    assertThat(chunks).hasSize(21);
    // the broker holds 12 of 21 chunks so far (a slow or interrupted upload)
    publish(meta);
    publish(chunks.subList(0, 12));

    MqttTufFetcher first = fetcher(Duration.ofSeconds(60));
    TufUpdater u1 = updater(first);
    u1.refresh();
    TargetInfo info = u1.targetInfo(MODEL_PATH);
    CompletableFuture<byte[]> attempt = CompletableFuture.supplyAsync(() -> u1.download(info));
    await().atMost(Duration.ofSeconds(20)).until(() -> stagedChunks(sha(model)) == 12);
    first.close(); // the agent is killed mid-download
    assertThatThrownBy(() -> attempt.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(TufException.class);
    assertThat(first.stats().chunksReceived()).isEqualTo(12);

    publish(chunks.subList(12, 21));
    MqttTufFetcher second = fetcher(Duration.ofSeconds(10));
    TufUpdater u2 = updater(second);
    u2.refresh();
    byte[] got = u2.download(u2.targetInfo(MODEL_PATH));

    assertThat(got).isEqualTo(model);
    MqttTufFetcher.Stats s = second.stats();
    assertThat(s.chunksResumed()).isEqualTo(12);
    assertThat(s.chunksReceived()).isEqualTo(9); // only the missing ones crossed the network
    assertThat(s.bytesReceived()).isEqualTo(model.length - 12L * CHUNK);
    System.out.printf(
        "{\"resume\":{\"chunks_total\":21,\"resumed_from_disk\":%d,\"received_after_restart\":%d,\"bytes_after_restart\":%d,\"bytes_total\":%d}}%n",
        s.chunksResumed(), s.chunksReceived(), s.bytesReceived(), model.length);
  }

  @Test
  void missingNewerRootIsKnownWithoutWaitingForTheTimeout() throws Exception {
    publishAll();
    MqttTufFetcher f = fetcher(Duration.ofSeconds(20));
    long t0 = System.nanoTime();
    assertThat(f.fetchMetadata("2.root.json", 512_000)).isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    assertThat(f.fetchMetadata("1.root.json", 512_000)).isPresent();
    assertThatThrownBy(() -> f.fetchMetadata("timestamp.json", 10))
        .isInstanceOfSatisfying(
            TufException.class, e -> assertThat(e.kind()).isEqualTo(TufException.Kind.LENGTH));
  }

  private long stagedChunks(String sha) throws Exception {
    Path d = dir.resolve("staging").resolve(sha);
    if (!Files.isDirectory(d)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(d)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".chunk")).count();
    }
  }

  private static String sha(byte[] b) {
    return io.edgecam.protocol.tuf.TargetFile.of(b, MissingNode.getInstance()).sha256();
  }
}
