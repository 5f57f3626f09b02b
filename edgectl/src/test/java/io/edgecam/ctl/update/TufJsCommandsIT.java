package io.edgecam.ctl.update;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgecam.ctl.EdgecamCli;
import io.edgecam.matcher.store.SqliteMatcherStore;
import io.edgecam.matcher.watchlist.WatchlistEntry;
import io.edgecam.protocol.Int8Embedding;
import io.edgecam.protocol.bundle.WatchlistBundle;
import io.edgecam.protocol.bundle.WatchlistBundleCodec;
import io.edgecam.protocol.tuf.TufJsClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Interop of the <b>commands</b> with an independent TUF client: a repository made only by {@code
 * ./edgecam keys init}, {@code repo init}, {@code repo rotate-root}, {@code watchlist publish
 * --out} and {@code model publish --out} is served over HTTP and read by tuf-js's {@code Updater}
 * (installed with npm into a temporary directory), which follows the root chain and downloads the
 * watchlist bundle and the model byte for byte. Skipped when node/npm are missing or the install
 * fails, unless EDGECAM_REQUIRE_SERVICES=1.
 */
class TufJsCommandsIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path npmDir;
  private static TufJsClient tufJs;

  @BeforeAll
  static void installTufJs() throws Exception {
    tufJs = TufJsClient.install(npmDir);
  }

  private static String run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = EdgecamCli.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args);
    assertThat(exit).as("edgecam %s%n%s%n%s", String.join(" ", args), out, err).isZero();
    return out.toString();
  }

  @Test
  void tufJsReadsARepositoryMadeByTheEdgecamCommands(@TempDir Path tmp) throws Exception {
    Path keys = tmp.resolve("keys");
    Path repo = tmp.resolve("repo");
    Path served = tmp.resolve("served");
    Path db = tmp.resolve("matcher.db");
    Path models = modelsDir();
    Random random = new Random(11);
    try (SqliteMatcherStore s = new SqliteMatcherStore(db)) {
      for (String id : List.of("alice", "bob")) {
        float[] v = new float[192];
        for (int i = 0; i < v.length; i++) {
          v[i] = (float) random.nextGaussian();
        }
        s.putEntry(
            new WatchlistEntry(
                id,
                "Name of " + id,
                List.of(Int8Embedding.quantize(v)),
                "mfn-1.0.24",
                "warrant 7",
                Instant.now().plus(Duration.ofDays(30)),
                "op",
                Instant.now(),
                null));
      }
    }
    run("keys", "init", "--dir", keys.toString());
    run("repo", "init", "--keys", keys.toString(), "--repo", repo.toString());
    byte[] trustedRoot = Files.readAllBytes(repo.resolve("metadata/1.root.json"));
    run("repo", "rotate-root", "--keys", keys.toString(), "--repo", repo.toString());
    run(
        "watchlist",
        "publish",
        "--store",
        db.toString(),
        "--keys",
        keys.toString(),
        "--repo",
        repo.toString(),
        "--out",
        served.toString());
    Path modelFile = models.resolve("int8/blazeface-short-range-int8.tflite");
    run(
        "model",
        "publish",
        modelFile.toString(),
        "--name",
        "blazeface-short-range",
        "--version",
        "2",
        "--manifest",
        models.resolve("blazeface-short-range-int8.json").toString(),
        "--models",
        models.toString(),
        "--keys",
        keys.toString(),
        "--repo",
        repo.toString(),
        "--out",
        served.toString());

    JsonNode status = JSON.readTree(run("repo", "status", "--repo", served.toString(), "--json"));
    String bundlePath = null;
    String modelPath = null;
    for (JsonNode t : status.path("targets")) {
      if ("watchlist".equals(t.path("kind").asText())) {
        bundlePath = t.path("path").asText();
      } else if ("model".equals(t.path("kind").asText())) {
        modelPath = t.path("path").asText();
      }
    }
    assertThat(bundlePath).isEqualTo("watchlist/mfn-1.0.24-v1.cbor");
    assertThat(modelPath).isEqualTo("models/blazeface-short-range-v2.tflite");

    TufJsClient.Result r =
        tufJs.refreshAndDownload(
            served, trustedRoot, tmp.resolve("tufjs"), List.of(bundlePath, modelPath));
    Path metadataDir = r.metadataDir();
    Path targetDir = r.targetDir();
    assertThat(r.exit()).as(r.output()).isZero();
    byte[] bundle =
        Files.readAllBytes(
            targetDir.resolve(URLEncoder.encode(bundlePath, StandardCharsets.UTF_8)));
    WatchlistBundle b = WatchlistBundleCodec.decode(bundle);
    assertThat(b.entries()).hasSize(2);
    assertThat(new String(bundle, StandardCharsets.ISO_8859_1))
        .doesNotContain("alice")
        .doesNotContain("warrant");
    assertThat(
            Files.readAllBytes(
                targetDir.resolve(URLEncoder.encode(modelPath, StandardCharsets.UTF_8))))
        .isEqualTo(Files.readAllBytes(modelFile));
    assertThat(Files.readString(metadataDir.resolve("root.json"))).contains("\"version\":2");
  }

  private static Path modelsDir() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.exists(p.resolve("models/fetch"))) {
        return p.resolve("models");
      }
    }
    throw new IllegalStateException("models/ not found");
  }
}
