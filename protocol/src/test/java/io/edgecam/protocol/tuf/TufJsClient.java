package io.edgecam.protocol.tuf;

import com.sun.net.httpserver.HttpServer;
import io.edgecam.testing.Services;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * tuf-js's {@code Updater}, the independent TUF client of the interop tests, installed with npm
 * into a folder of the test's own. {@link #install} skips the calling test with the reason when
 * node or npm is missing or the install fails (fails it with EDGECAM_REQUIRE_SERVICES=1). Used by
 * the protocol's and the commands' interop tests.
 */
public final class TufJsClient {
  /** tuf-js 5.x is the newest line that supports Node 20. */
  public static final String TUF_JS = "tuf-js@5.0.1";

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

  /**
   * What one tuf-js run did.
   *
   * @param exit node's exit code
   * @param output what it printed
   * @param metadataDir its trusted metadata after the run
   * @param targetDir the targets it downloaded (file names URL-encoded, as tuf-js writes them)
   */
  public record Result(int exit, String output, Path metadataDir, Path targetDir) {}

  private final String node;
  private final Path npmDir;

  private TufJsClient(String node, Path npmDir) {
    this.node = node;
    this.npmDir = npmDir;
  }

  /** Installs {@link #TUF_JS} into {@code npmDir}. */
  public static TufJsClient install(Path npmDir) throws IOException, InterruptedException {
    String node = onPath("node");
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
    return new TufJsClient(node, npmDir);
  }

  /**
   * Serves the repository folder {@code repo} (with {@code metadata/} and {@code targets/}) over
   * HTTP on 127.0.0.1, starts tuf-js from {@code trustedRoot}, refreshes and downloads {@code
   * paths}. Its state and log go to {@code work} ({@code metadata/}, {@code targets/}, {@code
   * node.log}).
   */
  public Result refreshAndDownload(Path repo, byte[] trustedRoot, Path work, List<String> paths)
      throws IOException, InterruptedException {
    Path metadataDir = Files.createDirectories(work.resolve("metadata"));
    Path targetDir = Files.createDirectories(work.resolve("targets"));
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
      Path out = work.resolve("node.log");
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
      return new Result(p.exitValue(), Files.readString(out), metadataDir, targetDir);
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
    Services.unavailable(reason);
  }
}
