package io.edgecam.agent.update;

import static io.edgecam.agent.update.Faces.TAG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgecam.agent.service.AgentService;
import io.edgecam.protocol.Candidate;
import io.edgecam.protocol.CandidateCodec;
import io.edgecam.protocol.DeviceEvent;
import io.edgecam.protocol.JsonMessages;
import io.edgecam.protocol.Status;
import io.edgecam.protocol.Topics;
import io.edgecam.protocol.tuf.mqtt.TargetChunk;
import io.edgecam.protocol.tuf.mqtt.UpdateMessages;
import io.edgecam.testing.MosquittoProcess;
import io.edgecam.testing.TestSubscriber;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole agent with updates on: real TFLite pipeline on real photos, the watchlist prefilter, a
 * Mosquitto of the test's own; update results on the events topic and versions in the status.
 */
class UpdatingAgentIT {
  @TempDir Path dir;
  private MosquittoProcess broker;
  private UpdateFixture given;
  private Path jolie1;
  private Path jolie2;
  private Path dorsey;

  @BeforeEach
  void start() throws Exception {
    broker = MosquittoProcess.start(Files.createDirectories(dir.resolve("broker")));
    given = new UpdateFixture(dir);
    jolie1 = Faces.photo("angelina_jolie", "deepface_img1.jpg");
    jolie2 = Faces.photo("angelina_jolie", "deepface_img2.jpg");
    dorsey = Faces.photo("jack_dorsey", "deepface_img16.jpg");
    Path images = Files.createDirectories(dir.resolve("images"));
    Files.copy(jolie2, images.resolve("frame-1.jpg"));
    Files.copy(dorsey, images.resolve("frame-2.jpg"));
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  @Test
  void watchlistedFacePassesTheOtherIsPrefilteredAndResultsAreReported() throws Exception {
    long future = given.clock.millis() + Duration.ofDays(30).toMillis();
    given.addWatchlist(Faces.bundle(1, TAG, future, jolie1));
    given.publish();
    try (UpdateClient first = given.client()) { // an earlier run left v1 on the device
      given.refresh(first, true);
    }
    given.addWatchlist(Faces.bundle(2, TAG, future, jolie1)); // and the maintainer has v2 now
    given.publish();
    String events = Topics.events("it", UpdateFixture.DEVICE);
    String status = Topics.status("it", UpdateFixture.DEVICE);
    String candidates = Topics.candidates("it", UpdateFixture.DEVICE);

    try (TestSubscriber ev = new TestSubscriber(broker.url(), "ev", events, null);
        TestSubscriber st = new TestSubscriber(broker.url(), "st", status, null);
        TestSubscriber cand =
            new TestSubscriber(
                broker.url(), "cand", candidates, p -> CandidateCodec.decode(p).sequence());
        AgentService agent =
            AgentService.create(
                given.config(
                    10, "mqtt: {url: \"%s\", heartbeatSeconds: 1}".formatted(broker.url())))) {
      assertThat(agent.runOnce(Duration.ofSeconds(120))).isTrue();

      // v1 was in use from the first frame (loaded before any network): one face passed.
      assertThat(agent.counters().candidates()).isEqualTo(2);
      assertThat(agent.counters().prefiltered()).isEqualTo(1);
      assertThat(agent.counters().spooled()).isEqualTo(1);
      await().atMost(Duration.ofSeconds(10)).until(() -> cand.raw.size() == 1);
      Candidate sent = CandidateCodec.decode(cand.raw.get(0));
      float[] e = sent.embedding().toUnitFloat();
      assertThat(Faces.cosine(e, Faces.embed(jolie2))).isGreaterThan(0.99);
      assertThat(Faces.cosine(e, Faces.embed(dorsey))).isLessThan(0.3);

      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> decodeEvents(ev).stream().anyMatch(x -> "2".equals(x.detail().get("version"))));
      DeviceEvent applied = decodeEvents(ev).get(decodeEvents(ev).size() - 1);
      assertThat(applied.type()).isEqualTo("update");
      assertThat(applied.detail())
          .containsEntry("kind", "watchlist")
          .containsEntry("name", TAG)
          .containsEntry("version", "2")
          .containsEntry("result", "applied");
      // A heartbeat sent between the two frames can already carry v2 (the update may land after
      // the first frame); wait for one that counts both frames before reading its counters.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  lastStatus(st) != null
                      && "2".equals(lastStatus(st).versions().get("watchlist"))
                      && lastStatus(st).counters().getOrDefault("frames", 0L) == 2L);
      Status s = lastStatus(st);
      assertThat(s.versions())
          .containsEntry("model.mobilefacenet", "0")
          .containsEntry("model.blazeface-short-range", "0");
      assertThat(s.counters()).containsEntry("prefiltered", 1L);
      assertThat(s.health().get("updates").state()).isEqualTo(io.edgecam.protocol.Health.State.OK);
    }
  }

  @Test
  void overMqttTheWatchlistAndModelAreAppliedAndCandidatesPrefiltered() throws Exception {
    long future = given.clock.millis() + Duration.ofDays(30).toMillis();
    given.addWatchlist(Faces.bundle(1, TAG, future, jolie1));
    new ModelTargets(given).addInt8Embedder(2);
    given.publish();
    MqttClient maintainer = new MqttClient(broker.url(), "maintainer", new MemoryPersistence());
    maintainer.connect();
    for (UpdateMessages.Message m :
        UpdateMessages.of("it", given.repo.current(), TargetChunk.DEFAULT_CHUNK_SIZE)) {
      maintainer.publish(m.topic(), m.payload(), 1, true);
    }
    maintainer.disconnect();
    maintainer.close();
    String yaml =
        given
            .yaml(10, "mqtt: {url: \"%s\", heartbeatSeconds: 1}".formatted(broker.url()))
            .replace(
                "transport: directory", "transport: mqtt\n  prefilter: {withoutWatchlist: block}")
            .replace("fps: 0}", "fps: 4, loop: true}");
    String status = Topics.status("it", UpdateFixture.DEVICE);
    String candidates = Topics.candidates("it", UpdateFixture.DEVICE);

    try (TestSubscriber st = new TestSubscriber(broker.url(), "st", status, null);
        TestSubscriber cand = new TestSubscriber(broker.url(), "cand", candidates, null);
        AgentService agent =
            AgentService.create(
                io.edgecam.agent.config.AgentConfig.parse(yaml, "agent.yaml", dir))) {
      agent.start();

      await()
          .atMost(Duration.ofSeconds(90))
          .until(
              () ->
                  lastStatus(st) != null
                      && "1".equals(lastStatus(st).versions().get("watchlist"))
                      && "2".equals(lastStatus(st).versions().get("model.mobilefacenet")));
      await().atMost(Duration.ofSeconds(30)).until(() -> cand.raw.size() >= 2);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> lastStatus(st).counters().getOrDefault("prefiltered", 0L) >= 2);
      for (byte[] payload : cand.raw) {
        float[] e = CandidateCodec.decode(payload).embedding().toUnitFloat();
        assertThat(Faces.cosine(e, Faces.embed(jolie2))).isGreaterThan(0.9);
        assertThat(Faces.cosine(e, Faces.embed(dorsey))).isLessThan(0.3);
      }
    }
  }

  private static List<DeviceEvent> decodeEvents(TestSubscriber sub) {
    return sub.raw.stream().map(JsonMessages::decodeEvent).toList();
  }

  private static Status lastStatus(TestSubscriber sub) {
    List<byte[]> all = sub.raw;
    for (int i = all.size() - 1; i >= 0; i--) {
      Status s = JsonMessages.decodeStatus(all.get(i));
      if (s.state().equals(Status.ONLINE)) {
        return s;
      }
    }
    return null;
  }
}
