package io.edgecam.fleet.update;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgecam.matcher.store.SqliteMatcherStore;
import io.edgecam.matcher.testing.Entries;
import io.edgecam.matcher.testing.Vectors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an independent TUF client's review found in the maintainer's repository (issue 20): served
 * copies keep delisted bundles, metadata lifetimes fixed in code, an unreadable error for control
 * characters in {@code --custom}.
 */
class RepositoryFindingsTest {
  @TempDir Path dir;

  private Path keys() {
    return dir.resolve("keys");
  }

  private Path repo() {
    return dir.resolve("repo");
  }

  private Cli.Run ok(String... args) {
    Cli.Run r = Cli.run(args);
    assertThat(r.exit()).as(r.toString()).isZero();
    return r;
  }

  private List<String> repoArgs(String... rest) {
    List<String> a = new ArrayList<>(List.of(rest));
    a.addAll(List.of("--keys", keys().toString(), "--repo", repo().toString()));
    return a;
  }

  @Test
  void watchlistPublishRemovesADelistedBundleFromTheServedCopy() throws Exception {
    ok("keys", "init", "--dir", keys().toString());
    ok(repoArgs("repo", "init").toArray(String[]::new));
    Path db = dir.resolve("matcher.db");
    Path served = dir.resolve("served");
    Random random = new Random(5);
    try (SqliteMatcherStore s = new SqliteMatcherStore(db)) {
      s.putEntry(Entries.entry("erin", Vectors.unit(random), Instant.now()));
      s.putEntry(Entries.entry("frank", Vectors.unit(random), Instant.now()));
    }
    List<String> publish = repoArgs("watchlist", "publish", "--store", db.toString());
    publish.addAll(List.of("--out", served.toString()));
    ok(publish.toArray(String[]::new));
    List<Path> first = bundles(served);
    assertThat(first).hasSize(1);

    try (SqliteMatcherStore s = new SqliteMatcherStore(db)) {
      s.removeEntry("frank");
    }
    Cli.Run second = ok(publish.toArray(String[]::new));

    assertThat(bundles(served)).hasSize(1).doesNotContain(first.get(0));
    assertThat(first.get(0)).doesNotExist();
    assertThat(second.err())
        .contains("removed 1 delisted target file(s) from " + served)
        .contains("targets/watchlist/" + first.get(0).getFileName());
  }

  @Test
  void lifetimesAreSetPerRoleAtInitAndKeptForTheNextCommands() throws Exception {
    ok("keys", "init", "--dir", keys().toString());
    Instant before = Instant.now();
    List<String> init = repoArgs("repo", "init");
    init.addAll(List.of("--lifetime", "timestamp=2d", "--lifetime", "snapshot=10d"));
    ok(init.toArray(String[]::new));
    assertThat(expires("timestamp.json")).isBetween(days(before, 2), days(Instant.now(), 2));
    assertThat(expires("snapshot.json")).isBetween(days(before, 10), days(Instant.now(), 10));

    // a later command without --lifetime signs with the repository's lifetimes, not the defaults
    Instant again = Instant.now();
    ok(repoArgs("repo", "timestamp").toArray(String[]::new));
    assertThat(expires("timestamp.json")).isBetween(days(again, 2), days(Instant.now(), 2));

    List<String> tooLong = repoArgs("repo", "timestamp");
    tooLong.addAll(List.of("--lifetime", "timestamp=60d"));
    Cli.Run refused = Cli.run(tooLong.toArray(String[]::new));
    assertThat(refused.exit()).isNotZero();
    assertThat(refused.err())
        .contains("--lifetime timestamp=60d")
        .contains("timestamp lifetime must be between 1h and 30d, was 60d");

    List<String> inverted = repoArgs("repo", "timestamp");
    inverted.addAll(List.of("--lifetime", "timestamp=20d"));
    assertThat(Cli.run(inverted.toArray(String[]::new)).err())
        .contains("snapshot lifetime (10d) must not be shorter than the timestamp lifetime (20d)");
    assertThat(expires("timestamp.json"))
        .as("a refused lifetime changes nothing")
        .isBefore(days(Instant.now(), 3));
  }

  @Test
  void addTargetNamesTheFieldAndTheControlCharacterOfBadCustomJson() throws Exception {
    ok("keys", "init", "--dir", keys().toString());
    ok(repoArgs("repo", "init").toArray(String[]::new));
    Path f = Files.write(dir.resolve("file.bin"), new byte[] {1, 2, 3});
    List<String> add = repoArgs("repo", "add-target");
    add.addAll(
        List.of(
            "--role",
            "models",
            "--path",
            "models/x.bin",
            "--custom",
            "{\"note\": \"a\u0001b\"}",
            f.toString()));
    Cli.Run r = Cli.run(add.toArray(String[]::new));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .contains("--custom: field 'note'")
        .contains("control character U+0001 is not allowed in JSON text; write it as \\u0001")
        .doesNotContain("Illegal unquoted character");
  }

  private Instant expires(String metadata) throws Exception {
    JsonNode n = new ObjectMapper().readTree(repo().resolve("metadata").resolve(metadata).toFile());
    return Instant.parse(n.get("signed").get("expires").asText());
  }

  private static Instant days(Instant from, int days) {
    // metadata expiry is written to the second
    return from.plus(Duration.ofDays(days)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
  }

  private static List<Path> bundles(Path served) throws Exception {
    Path d = served.resolve("targets/watchlist");
    if (!Files.isDirectory(d)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(d)) {
      return s.toList();
    }
  }
}
