package io.edgecam.protocol.tuf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
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
  @TempDir static Path npmDir;
  private static TufJsClient tufJs;

  @BeforeAll
  static void installTufJs() throws IOException, InterruptedException {
    tufJs = TufJsClient.install(npmDir);
  }

  @Test
  void tufJsFollowsRootChainAndDownloadsWatchlistAndModel(@TempDir Path tmp) throws Exception {
    TufFixture given = new TufFixture(Instant.now());
    byte[] trustedRoot = given.repo.root().toBytes();
    given.repo.rotate(TopLevel.ROOT, RoleKeys.generate(2, 2));
    given.repo.rotate(TopLevel.SNAPSHOT, RoleKeys.generate(1, 1));
    given.repo.publish();

    TufJsClient.Result r =
        runTufJs(given, trustedRoot, tmp, List.of(TufFixture.BUNDLE_PATH, TufFixture.MODEL_PATH));

    assertThat(r.exit()).as(r.output()).isZero();
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

    TufJsClient.Result r =
        runTufJs(
            given, given.repo.root().toBytes(), tmp, List.of(TufFixture.BUNDLE_PATH), file, evil);

    assertThat(r.exit()).as(r.output()).isNotZero();
    assertThat(r.output()).contains("TUF-JS ERROR").doesNotContain("expired");
    assertThat(tmp.resolve("targets/watchlist%2Fbundle.bin")).doesNotExist();
  }

  private TufJsClient.Result runTufJs(
      TufFixture given, byte[] trustedRoot, Path tmp, List<String> paths) throws Exception {
    return runTufJs(given, trustedRoot, tmp, paths, null, null);
  }

  private TufJsClient.Result runTufJs(
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
    return tufJs.refreshAndDownload(repo, trustedRoot, tmp, paths);
  }
}
