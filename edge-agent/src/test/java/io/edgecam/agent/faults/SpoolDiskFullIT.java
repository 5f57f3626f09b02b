package io.edgecam.agent.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgecam.agent.config.AgentConfig;
import io.edgecam.agent.service.AgentService;
import io.edgecam.agent.service.OneFaceAnalyzer;
import io.edgecam.agent.service.Prefilter;
import io.edgecam.agent.spool.CandidateEncoder;
import io.edgecam.agent.spool.SpooledCandidate;
import io.edgecam.agent.spool.SqliteCandidateSpool;
import io.edgecam.protocol.Box;
import io.edgecam.protocol.Candidate;
import io.edgecam.protocol.CandidateCodec;
import io.edgecam.protocol.Health;
import io.edgecam.protocol.Int8Embedding;
import io.edgecam.protocol.Topics;
import io.edgecam.testing.MosquittoProcess;
import io.edgecam.testing.TestSubscriber;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongFunction;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Disk full under the spool, on a real size-limited file system (tmpfs): the spool stops growing at
 * its free-space reserve, drops the oldest (counted) when the disk is full, never throws at the
 * pipeline, and works normally again when space returns. Then the whole agent: it keeps processing
 * frames on a full disk and delivers what it kept once the disk and the broker are back.
 */
class SpoolDiskFullIT {
  private static final String DEVICE = "cam-full";
  private static final long FS_BYTES = 6L << 20;
  private static final long RESERVE = 2L << 20;

  @TempDir Path dir;

  static LongFunction<Candidate> candidate(int dims) {
    float[] v = new float[dims];
    v[0] = 1;
    return seq ->
        new Candidate(
            DEVICE,
            seq,
            1_700_000_000_000L + seq,
            1,
            800,
            new Box(1, 2, 30, 40),
            "fake@1",
            Int8Embedding.quantize(v));
  }

  @Test
  void spoolStopsGrowingAtTheReserveSurvivesAFullDiskAndRecovers() throws Exception {
    try (SmallFileSystem fs = SmallFileSystem.mount(dir.resolve("fs"), FS_BYTES);
        SqliteCandidateSpool spool =
            SqliteCandidateSpool.open(
                fs.path().resolve("spool.db"),
                DEVICE,
                1_000_000,
                RESERVE,
                CandidateEncoder.plain())) {
      // 1. Fill up to the reserve: the spool then replaces its oldest rows instead of growing.
      int appended = 0;
      while (spool.dropped() == 0) {
        assertThat(spool.append(candidate(192))).isNotNull();
        appended++;
        assertThat(appended).as("reserve never reached").isLessThan(100_000);
      }
      long sizeAtReserve = spool.size();
      for (int i = 0; i < 500; i++) {
        assertThat(spool.append(candidate(192))).isNotNull();
      }
      // The reserve is a band, not a wall (WAL checkpoints give a little space back), but the
      // spool no longer eats the disk.
      assertThat(spool.size())
          .as("no growth below the reserve")
          .isLessThanOrEqualTo(sizeAtReserve + sizeAtReserve / 20);
      assertThat(fs.free()).isGreaterThan(RESERVE / 2);
      assertThat(spool.dropped()).as("most appends replaced the oldest").isGreaterThan(250);

      // 2. Something else fills the disk: appends never throw; each is stored or counted.
      fs.fill();
      long droppedBefore = spool.dropped();
      long stored = 0;
      for (int i = 0; i < 300; i++) {
        if (spool.append(candidate(192)) != null) {
          stored++;
        }
      }
      assertThat(spool.dropped() - droppedBefore + stored)
          .as("every append on the full disk is stored or counted as a drop")
          .isGreaterThanOrEqualTo(300);
      assertThat(spool.dropped()).isGreaterThan(droppedBefore);

      // 3. Space returns: appends are stored again, oldest first order intact, no sequence reused.
      fs.release();
      long next = spool.nextSequence();
      for (int i = 0; i < 50; i++) {
        assertThat(spool.append(candidate(192))).isNotNull();
      }
      assertThat(spool.nextSequence()).isEqualTo(next + 50);
      List<SpooledCandidate> rows = spool.after(0, 1_000_000);
      assertThat(rows).hasSize((int) spool.size());
      for (int i = 1; i < rows.size(); i++) {
        assertThat(rows.get(i).sequence()).isGreaterThan(rows.get(i - 1).sequence());
      }
      assertThat(rows.get(rows.size() - 1).sequence()).isEqualTo(next + 49);
      assertThat(CandidateCodec.decode(rows.get(0).payload()).device()).isEqualTo(DEVICE);
    }
  }

  @Test
  void agentKeepsProcessingOnAFullDiskAndDeliversWhenSpaceAndBrokerReturn() throws Exception {
    int frames = 400;
    Path images = Files.createDirectories(dir.resolve("images"));
    for (int i = 0; i < frames; i++) {
      ImageIO.write(
          new BufferedImage(32, 32, BufferedImage.TYPE_3BYTE_BGR),
          "png",
          images.resolve(String.format("f%04d.png", i)).toFile());
    }
    ExecutorService runner = Executors.newSingleThreadExecutor();
    try (SmallFileSystem fs = SmallFileSystem.mount(dir.resolve("fs"), FS_BYTES);
        MosquittoProcess broker = MosquittoProcess.start(dir.resolve("broker"));
        // A persistent session, made before the outage: it gets whatever arrives after it.
        TestSubscriber sub =
            new TestSubscriber(
                broker.url(),
                "disk-full-sub",
                Topics.candidates("it", DEVICE),
                p -> CandidateCodec.decode(p).sequence())) {
      broker.stop(); // the broker is away: everything goes to the spool
      AgentConfig config =
          AgentConfig.parse(
              """
              device: %s
              site: it
              stateDir: state
              source: {type: folder, path: images, fps: 100}
              tracker: {bestShotIntervalMs: 0}
              spool: {path: "%s", minFreeBytes: %d}
              mqtt: {url: "%s"}
              """
                  .formatted(DEVICE, fs.path().resolve("spool.db"), RESERVE, broker.url()),
              "agent.yaml",
              dir);
      try (AgentService agent =
          new AgentService(config, new OneFaceAnalyzer(), Prefilter.PASS_ALL)) {
        Future<Boolean> run = runner.submit(() -> agent.runOnce(Duration.ofSeconds(120)));
        // Some candidates are spooled, then something fills the disk.
        await().atMost(Duration.ofSeconds(60)).until(() -> agent.counters().spooled() >= 100);
        fs.fill();
        await().atMost(Duration.ofSeconds(60)).until(() -> agent.counters().frames() == frames);
        assertThat(agent.pipelineFailed())
            .as("the pipeline did not stop on the full disk")
            .isFalse();
        assertThat(agent.health().get("spool").state()).isEqualTo(Health.State.DEGRADED);
        assertThat(agent.dropped()).as("drops are counted").isPositive();

        fs.release();
        broker.restart();
        {
          assertThat(run.get()).as("spool drained after space and broker returned").isTrue();
          long kept = agent.published();
          assertThat(kept).isPositive();
          assertThat(kept + agent.dropped())
              .as(
                  "every candidate was delivered (%d) or counted as dropped (%d)",
                  kept, agent.dropped())
              .isEqualTo(frames);
          await().atMost(Duration.ofSeconds(30)).until(() -> sub.sequences.size() == kept);
        }
      }
    } finally {
      runner.shutdownNow();
    }
  }
}
