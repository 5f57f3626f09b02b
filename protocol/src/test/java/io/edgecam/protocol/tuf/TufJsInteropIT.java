package io.edgecam.protocol.tuf;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interop with an independent TUF client: a repository written by {@link TufRepository} is served
 * over HTTP on 127.0.0.1 and read by tuf-js's {@code Updater} (installed by this test with npm into
 * a temporary directory), which must follow the root chain, verify every role and download the
 * watchlist and the model byte for byte. Skipped when node or npm is missing or the install fails,
 * unless EDGECAM_REQUIRE_SERVICES=1.
 */
class TufJsInteropIT {
  /** tuf-js 5.x is the newest line that supports Node 20. */
  static final String TUF_JS = "tuf-js@5.0.1";

  private static final String SCRIPT =
      """
      const { Updater } = require('tuf-js');
      const [metadataBaseUrl, targetBaseUrl, metadataDir, targetDir, ...paths] = process.argv.slice(2);
      (async () => {
        const updater = new Updater({ metadataBaseUrl, targetBaseUrl, metadataDir, targetDir });
        await updater.refresh();
        for (const p of paths) {
          const info = await updater.getTargetInfo(p);
          if (!info) throw new Error('tuf-js found no target ' + p);
          console.log('DOWNLOADED ' + await updater.downloadTarget(info));
        }
      })().catch((e) => { console.error('TUF-JS ERROR ' + e); process.exit(1); });
      """;

  @TempDir static Path npmDir;
  private static String node;

  @BeforeAll
  static void installTufJs() throws IOException, InterruptedException {
    node = onPath("node");
    String npm = onPath("npm");
    if (node == null || npm == null) {
      skip("node or npm not on PATH");
    }
    Path log = npmDir.resolve("npm.log");
    Process p =
        new ProcessBuilder(
                npm,
                "install",
                "--no-save",
                "--no-audit",
                "--no-fund",
                "--prefix",
                npmDir.toString(),
                TUF_JS)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
      p.destroyForcibly();
      skip("npm install " + TUF_JS + " failed: " + Files.readString(log));
    }
    Files.writeString(npmDir.resolve("check.js"), SCRIPT);
  }

  @Test
  void tufJsFollowsRootChainAndDownloadsWatchlistAndModel(@TempDir Path tmp) throws Exception {
    TufFixture given = new TufFixture(Instant.now());
    byte[] trustedRoot = given.repo.root().toBytes();
    given.repo.rotate(TopLevel.ROOT, RoleKeys.generate(2, 2));
    given.repo.rotate(TopLevel.SNAPSHOT, RoleKeys.generate(1, 1));
    given.repo.publish();

    Result r =
        runTufJs(given, trustedRoot, tmp, List.of(TufFixture.BUNDLE_PATH, TufFixture.MODEL_PATH));

    assertThat(r.exit).as(r.output).isZero();
    assertThat(Files.readAllBytes(tmp.resolve("targets/watchlist%2Fbundle.bin")))
        .isEqualTo(TufFixture.BUNDLE);
    assertThat(Files.readAllBytes(tmp.resolve("targets/models%2Fdetector.tflite")))
        .isEqualTo(TufFixture.MODEL);
    assertThat(tmp.resolve("metadata/watchlist.json")).exists();
    assertThat(
            new String(
                Files.readAllBytes(tmp.resolve("metadata/root.json")), StandardCharsets.UTF_8))
        .contains("\"version\":3"); // v1 -> v2 (root keys) -> v3 (snapshot key)
  }

  @Test
  void tufJsRejectsATamperedWatchlist(@TempDir Path tmp) throws Exception {
    TufFixture given = new TufFixture(Instant.now());
    String file = "targets/watchlist/" + Hashes.sha256Hex(TufFixture.BUNDLE) + ".bundle.bin";
    byte[] evil = TufFixture.BUNDLE.clone();
    evil[0] ^= 1;

    Result r =
        runTufJs(
            given, given.repo.root().toBytes(), tmp, List.of(TufFixture.BUNDLE_PATH), file, evil);

    assertThat(r.exit).as(r.output).isNotZero();
    assertThat(r.output).contains("TUF-JS ERROR").doesNotContain("expired");
    assertThat(tmp.resolve("targets/watchlist%2Fbundle.bin")).doesNotExist();
  }

  private record Result(int exit, String output) {}

  private Result runTufJs(TufFixture given, byte[] trustedRoot, Path tmp, List<String> paths)
      throws Exception {
    return runTufJs(given, trustedRoot, tmp, paths, null, null);
  }

  private Result runTufJs(
      TufFixture given,
      byte[] trustedRoot,
      Path tmp,
      List<String> paths,
      String replace,
      byte[] with)
      throws Exception {
    Path repo = tmp.resolve("repo");
    given.repo.writeTo(repo);
    if (replace != null) {
      Files.write(repo.resolve(replace), with);
    }
    Path metadataDir = Files.createDirectories(tmp.resolve("metadata"));
    Path targetDir = Files.createDirectories(tmp.resolve("targets"));
    Files.write(metadataDir.resolve("root.json"), trustedRoot);
    HttpServer server = serve(repo);
    try {
      String base = "http://127.0.0.1:" + server.getAddress().getPort();
      List<String> cmd =
          new ArrayList<>(
              List.of(
                  node,
                  npmDir.resolve("check.js").toString(),
                  base + "/metadata",
                  base + "/targets",
                  metadataDir.toString(),
                  targetDir.toString()));
      cmd.addAll(paths);
      Path out = tmp.resolve("node.log");
      Process p =
          new ProcessBuilder(cmd)
              .directory(npmDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      if (!p.waitFor(2, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError("tuf-js did not finish: " + Files.readString(out));
      }
      return new Result(p.exitValue(), Files.readString(out));
    } finally {
      server.stop(0);
    }
  }

  /** Serves {@code root} read-only; 404 for anything missing or outside it. */
  private static HttpServer serve(Path root) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          Path file = root.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
          byte[] body =
              file.startsWith(root) && Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
          if (body == null) {
            exchange.sendResponseHeaders(404, -1);
          } else {
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream os = exchange.getResponseBody()) {
              os.write(body);
            }
          }
          exchange.close();
        });
    server.start();
    return server;
  }

  private static String onPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    return null;
  }

  private static void skip(String reason) {
    if ("1".equals(System.getenv("EDGECAM_REQUIRE_SERVICES"))) {
      throw new IllegalStateException(reason);
    }
    Assumptions.abort(reason);
  }
}
