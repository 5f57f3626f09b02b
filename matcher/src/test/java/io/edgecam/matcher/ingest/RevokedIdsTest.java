package io.edgecam.matcher.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgecam.matcher.config.ConfigException;
import io.edgecam.matcher.index.Match;
import io.edgecam.matcher.testing.Vectors;
import io.edgecam.matcher.watchlist.Origin;
import io.edgecam.protocol.Int8Embedding;
import io.edgecam.protocol.RevocationList;
import io.edgecam.protocol.Topics;
import io.edgecam.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The matcher's view of the fleet CA's signed revocation list: refused candidates, reload on
 * change, and files that must not un-revoke anyone (forged, older).
 */
class RevokedIdsTest {
  private final Instant start = Instant.parse("2026-01-01T00:00:00Z");
  private final MutableClock clock = new MutableClock(start);
  private final Random random = new Random(5);
  private final KeyPair ca = p256();
  @TempDir Path tmp;

  @Test
  void candidatesOfARevokedDeviceAreRefusedAndCounted() throws Exception {
    Path file = write(tmp.resolve("revoked.json"), list(start, "cam-stolen"), ca);
    IngestCounters counters = new IngestCounters();
    CandidateProcessor p =
        new CandidateProcessor(
            nothingMatches(),
            a -> true,
            a -> {},
            counters,
            clock,
            io.edgecam.protocol.seal.CandidateOpener.plainOnly(),
            RevokedIds.open(file, ca.getPublic(), clock));

    assertThat(p.process(topic("cam-stolen"), candidate("cam-stolen", 1)))
        .isEqualTo(CandidateProcessor.Outcome.MALFORMED);
    assertThat(p.process(topic("cam-ok"), candidate("cam-ok", 1)))
        .isEqualTo(CandidateProcessor.Outcome.DISCARDED);
    assertThat(counters.snapshot().malformedByReason()).containsEntry("revoked", 1L);
    assertThat(counters.snapshot().discarded()).isEqualTo(1);
  }

  @Test
  void aChangedListIsReloadedAfterTheCheckInterval() throws Exception {
    Path file = write(tmp.resolve("revoked.json"), list(start, "cam-a"), ca);
    RevokedIds ids = RevokedIds.open(file, ca.getPublic(), clock);
    assertThat(ids.test("cam-a")).isTrue();

    write(file, list(start.plusSeconds(60), "cam-b"), ca);
    assertThat(ids.test("cam-a")).isTrue(); // not checked again within the interval
    clock.advance(Duration.ofMillis(RevokedIds.CHECK_EVERY_MILLIS));

    assertThat(ids.test("cam-a")).isFalse();
    assertThat(ids.devices()).containsExactly("cam-b");
  }

  @Test
  void aForgedOrOlderListIsIgnoredAndTheOneInUseKept() throws Exception {
    Path file = write(tmp.resolve("revoked.json"), list(start, "cam-a"), ca);
    RevokedIds ids = RevokedIds.open(file, ca.getPublic(), clock);

    write(file, list(start.plusSeconds(60)), p256()); // signed by another key: empty list
    clock.advance(Duration.ofSeconds(2));
    assertThat(ids.devices()).containsExactly("cam-a");

    write(file, list(start.minusSeconds(60)), ca); // genuine but older: a replay
    clock.advance(Duration.ofSeconds(2));
    assertThat(ids.devices()).containsExactly("cam-a");

    String edited = Files.readString(file).replace("\"issued\"", "\"issued\" ");
    Files.writeString(file, edited.replace(start.minusSeconds(60).toString(), start.toString()));
    clock.advance(Duration.ofSeconds(2));
    assertThat(ids.devices()).containsExactly("cam-a");
  }

  @Test
  void aListNotSignedByTheCaIsRefusedAtStartNamingTheKey() throws Exception {
    Path file = write(tmp.resolve("revoked.json"), list(start, "cam-a"), p256());

    assertThatThrownBy(() -> RevokedIds.open(file, ca.getPublic(), clock))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("broker.external.revocation.file")
        .hasMessageContaining(file.toString())
        .hasMessageContaining("signature does not verify");
  }

  private static RevocationList list(Instant issued, String... devices) {
    return new RevocationList(
        issued,
        java.util.Arrays.stream(devices)
            .map(d -> new RevocationList.Entry("device", d, "site-1", issued, "stolen"))
            .toList());
  }

  private static Path write(Path file, RevocationList list, KeyPair key) throws Exception {
    Files.write(file, list.sign(key.getPrivate(), "SHA256withECDSA"));
    return file;
  }

  private static KeyPair p256() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (java.security.GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  private static String topic(String device) {
    return Topics.candidates("site-1", device);
  }

  private byte[] candidate(String device, long seq) {
    return Vectors.encoded(device, seq, Vectors.unit(random));
  }

  private static CandidateMatcher nothingMatches() {
    return new CandidateMatcher() {
      @Override
      public @Nullable Match match(Int8Embedding e, Origin origin) {
        return null;
      }

      @Override
      public int dimensions() {
        return Vectors.DIMS;
      }

      @Override
      public String model() {
        return Vectors.MODEL;
      }
    };
  }
}
