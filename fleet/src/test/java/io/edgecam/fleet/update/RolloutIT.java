package io.edgecam.fleet.update;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgecam.matcher.broker.EmbeddedBroker;
import io.edgecam.matcher.config.EmbeddedBrokerConfig;
import io.edgecam.matcher.store.SqliteMatcherStore;
import io.edgecam.matcher.testing.Entries;
import io.edgecam.matcher.testing.Vectors;
import io.edgecam.protocol.tuf.EdgecamTarget;
import io.edgecam.protocol.tuf.Metadata;
import io.edgecam.protocol.tuf.Targets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Staged rollouts against a real broker (embedded HiveMQ CE) and simulated devices that follow the
 * device rule and report with the agent's event contract: a failing canary halts the rollout before
 * it widens; canaries that apply let it widen to every device; {@code --status} shows each device.
 */
class RolloutIT {
  private static final String SITE = "site-r";
  @TempDir Path dir;
  private EmbeddedBroker broker;

  @BeforeEach
  void start() {
    broker = EmbeddedBroker.start(EmbeddedBrokerConfig.ephemeral(dir.resolve("broker")));
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  private String[] common() {
    return new String[] {
      "--keys", dir.resolve("keys").toString(),
      "--repo", dir.resolve("repo").toString(),
      "--site", SITE,
      "--broker", broker.url()
    };
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private Cli.Run ok(String... args) {
    Cli.Run r = Cli.run(args);
    assertThat(r.exit()).as(r.toString()).isZero();
    return r;
  }

  private void initRepoWithHeldWatchlist() throws Exception {
    ok("keys", "init", "--dir", dir.resolve("keys").toString());
    ok(concat(new String[] {"repo", "init"}, common()));
    Path db = dir.resolve("m.db");
    try (SqliteMatcherStore s = new SqliteMatcherStore(db)) {
      s.putEntry(Entries.entry("alice", Vectors.unit(new Random(1)), Instant.now()));
    }
    ok(concat(new String[] {"watchlist", "publish", "--store", db.toString(), "--hold"}, common()));
  }

  @Test
  void rolloutHaltsWhenACanaryFailsAndStatusShowsEachDevice() throws Exception {
    initRepoWithHeldWatchlist();
    List<String> devices = List.of("cam-1", "cam-2", "cam-3", "cam-4");
    try (SimulatedFleet fleet =
        new SimulatedFleet(
            broker.url(),
            SITE,
            devices,
            EdgecamTarget.Kind.WATCHLIST,
            Vectors.MODEL,
            Set.of("cam-2"))) {
      long t0 = System.nanoTime();
      Cli.Run r =
          Cli.run(
              concat(
                  new String[] {
                    "watchlist",
                    "rollout",
                    "--model",
                    Vectors.MODEL,
                    "--version",
                    "1",
                    "--devices",
                    "cam-1,cam-2",
                    "--step",
                    "100",
                    "--max-failures",
                    "0",
                    "--watch",
                    "30s"
                  },
                  common()));
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);

      assertThat(r.exit()).as(r.toString()).isEqualTo(1);
      assertThat(r.out()).contains("halted").contains("cam-2 rejected: self-test failed");
      assertThat(seconds).as("halts as soon as the failure is reported").isLessThan(25);
      // never widened: only the canaries got it
      assertThat(fleet.results()).containsOnlyKeys("cam-1@1", "cam-2@1");
      assertThat(rolloutOf("watchlist").devices()).containsExactly("cam-1", "cam-2");
      assertThat(rolloutOf("watchlist").percent()).isZero();
      Rollout.Record rec =
          Rollout.load(
              Rollout.recordFile(
                  dir.resolve("repo"), EdgecamTarget.Kind.WATCHLIST, Vectors.MODEL, 1));
      assertThat(rec.state()).isEqualTo(Rollout.State.HALTED);
      assertThat(rec.stage()).isZero();

      Cli.Run status =
          ok(
              concat(
                  new String[] {
                    "watchlist",
                    "rollout",
                    "--model",
                    Vectors.MODEL,
                    "--version",
                    "1",
                    "--status",
                    "--listen",
                    "500ms"
                  },
                  common()));
      assertThat(status.out())
          .contains("halted at stage 1/2")
          .containsPattern("cam-1 +applied +1 +online")
          .containsPattern("cam-2 +rejected +- +online +self-test failed")
          .containsPattern("cam-3 +not-included")
          .containsPattern("cam-4 +not-included");
      Cli.Run json =
          ok(
              concat(
                  new String[] {
                    "watchlist",
                    "rollout",
                    "--model",
                    Vectors.MODEL,
                    "--version",
                    "1",
                    "--status",
                    "--json",
                    "--listen",
                    "200ms"
                  },
                  common()));
      assertThat(json.out()).contains("\"rollout\":\"halted\"").contains("\"state\":\"rejected\"");
    }
  }

  @Test
  void modelRolloutWidensStepByStepWhenCanariesApply() throws Exception {
    ok("keys", "init", "--dir", dir.resolve("keys").toString());
    ok(concat(new String[] {"repo", "init"}, common()));
    Path models = modelsDir();
    // a real second version of the short-range detector: the int8 model in its slot
    ok(
        concat(
            new String[] {
              "model",
              "publish",
              models.resolve("int8/blazeface-short-range-int8.tflite").toString(),
              "--name",
              "blazeface-short-range",
              "--version",
              "2",
              "--manifest",
              models.resolve("blazeface-short-range-int8.json").toString(),
              "--models",
              models.toString(),
              "--hold"
            },
            common()));
    List<String> devices = List.of("cam-1", "cam-2", "cam-3", "cam-4", "cam-5", "cam-6");
    try (SimulatedFleet fleet =
        new SimulatedFleet(
            broker.url(),
            SITE,
            devices,
            EdgecamTarget.Kind.MODEL,
            "blazeface-short-range",
            Set.of())) {
      CompletableFuture<Cli.Run> run =
          CompletableFuture.supplyAsync(
              () ->
                  Cli.run(
                      concat(
                          new String[] {
                            "model", "rollout", "--name", "blazeface-short-range", "--version", "2",
                            "--devices", "cam-1", "--step", "50,100", "--watch", "20s"
                          },
                          common())));
      Cli.Run r = run.get(120, TimeUnit.SECONDS);
      assertThat(r.exit()).as(r.toString()).isZero();
      assertThat(r.out()).contains("completed");
      assertThat(r.err()).contains("stage 1/3").contains("stage 2/3").contains("stage 3/3");
      assertThat(fleet.versions())
          .hasSize(devices.size())
          .allSatisfy((d, v) -> assertThat(v).isEqualTo(2L));
      assertThat(rolloutOf("models")).isNull(); // every device
    }
  }

  private EdgecamTarget.Rollout rolloutOf(String role) throws Exception {
    Targets t =
        Metadata.parse(
                Files.readAllBytes(dir.resolve("repo/metadata/" + role + ".json")), Targets.class)
            .signed();
    return t.targets().entrySet().stream()
        .map(e -> EdgecamTarget.parse(e.getKey(), e.getValue().custom()))
        .flatMap(java.util.Optional::stream)
        .findFirst()
        .orElseThrow()
        .rollout();
  }

  static Path modelsDir() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.exists(p.resolve("models/fetch"))) {
        return p.resolve("models");
      }
    }
    throw new IllegalStateException("models/ not found");
  }
}
