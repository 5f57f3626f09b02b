package io.edgecam.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgecam.protocol.bundle.PseudonymousId;
import io.edgecam.protocol.bundle.WatchlistBundle;
import io.edgecam.protocol.bundle.WatchlistBundleCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The device watchlist bundle (format 1): round trip, exact layout, strict rejection, fuzz. */
class WatchlistBundleCodecTest {
  private static final long EXPIRES = 1_798_761_600_000L; // 2027-01-01

  static Int8Embedding embedding(int dims, int seed) {
    Random r = new Random(seed);
    float[] v = new float[dims];
    for (int i = 0; i < dims; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return Int8Embedding.quantize(v);
  }

  static WatchlistBundle bundle(int entries, int dims) {
    List<WatchlistBundle.Entry> list = new ArrayList<>();
    for (int i = 0; i < entries; i++) {
      list.add(
          new WatchlistBundle.Entry(
              "p" + i, List.of(embedding(dims, i), embedding(dims, 1000 + i)), 0.55f, EXPIRES + i));
    }
    return new WatchlistBundle(7, 1_767_225_600_000L, "mfn-1.0.24", list);
  }

  @Test
  void roundTripsABundle() {
    WatchlistBundle b = bundle(50, 192);
    WatchlistBundle back = WatchlistBundleCodec.decode(WatchlistBundleCodec.encode(b));
    assertThat(back).isEqualTo(b);
    assertThat(back.dimensions()).isEqualTo(192);
    assertThat(back.toString()).doesNotContain("values").contains("50 entries");
  }

  @Test
  void roundTripsAnEmptyWatchlist() {
    WatchlistBundle b = new WatchlistBundle(1, 0, "mfn-1.0.24", List.of());
    assertThat(WatchlistBundleCodec.decode(WatchlistBundleCodec.encode(b))).isEqualTo(b);
  }

  @Test
  void encoderWritesExactlyTheDocumentedLayout() {
    Int8Embedding e = new Int8Embedding(new byte[] {1, -1, 127}, 0.5f);
    WatchlistBundle b =
        new WatchlistBundle(
            3, 10, "m", List.of(new WatchlistBundle.Entry("p1", List.of(e), 0.5f, 20)));
    byte[] expected =
        Cbor.of()
            .array(5)
            .uint(1)
            .uint(3)
            .uint(10)
            .text("m")
            .array(1)
            .array(4)
            .text("p1")
            .float32(0.5f)
            .uint(20)
            .array(1)
            .array(2)
            .bytes(new byte[] {1, -1, 127})
            .float32(0.5f)
            .build();
    assertThat(WatchlistBundleCodec.encode(b)).isEqualTo(expected);
  }

  @Test
  void sizeIs251BytesPerOneEmbedding192dEntry() {
    List<WatchlistBundle.Entry> list = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      list.add(
          new WatchlistBundle.Entry(
              String.format("p%032x", i), List.of(embedding(192, i)), 0.55f, EXPIRES));
    }
    byte[] encoded = WatchlistBundleCodec.encode(new WatchlistBundle(1, 0, "mfn-1.0.24", list));
    // per entry: array 1 + alias 2+33 + threshold 5 + expiry 9 + embeddings 1 + pair 1
    //            + bytes 2+192 + scale 5 = 251; bundle: 1 + 1 + 1 + 1 + 11 (model) + 3 = 18
    assertThat(encoded.length).isEqualTo(1000 * 251 + 18);
  }

  static Stream<Arguments> malformed() {
    byte[] emb = {1, 2, 3};
    return Stream.of(
        Arguments.of("empty", new byte[0], "empty payload"),
        Arguments.of("not an array", Cbor.of().uint(1).build(), "bundle must be an array"),
        Arguments.of(
            "format 2",
            Cbor.of().array(5).uint(2).uint(1).uint(0).text("m").array(0).build(),
            "unsupported format 2"),
        Arguments.of(
            "version 0",
            Cbor.of().array(5).uint(1).uint(0).uint(0).text("m").array(0).build(),
            "version (field 1) must be in 1.."),
        Arguments.of(
            "version a text",
            Cbor.of().array(5).uint(1).text("1").uint(0).text("m").array(0).build(),
            "version (field 1) must be an unsigned integer, found a text string"),
        Arguments.of(
            "model empty",
            Cbor.of().array(5).uint(1).uint(1).uint(0).text("").array(0).build(),
            "model (field 3)"),
        Arguments.of(
            "short array",
            Cbor.of().array(4).uint(1).uint(1).uint(0).text("m").build(),
            "entries (field 4) must be an array"),
        Arguments.of(
            "extra field",
            Cbor.of().array(6).uint(1).uint(1).uint(0).text("m").array(0).uint(9).build(),
            "bundle must have exactly 5 fields"),
        Arguments.of(
            "tag",
            Cbor.of().tag(55799).array(5).uint(1).uint(1).uint(0).text("m").array(0).build(),
            "CBOR tag 55799"),
        Arguments.of(
            "trailing bytes",
            Cbor.of().array(5).uint(1).uint(1).uint(0).text("m").array(0).uint(0).build(),
            "trailing bytes"),
        Arguments.of(
            "threshold integer",
            entry(
                Cbor.of()
                    .array(4)
                    .text("p1")
                    .uint(1)
                    .uint(5)
                    .array(1)
                    .array(2)
                    .bytes(emb)
                    .float32(0.1f)),
            "entries[0].threshold must be a CBOR float"),
        Arguments.of(
            "threshold above 1",
            entry(
                Cbor.of()
                    .array(4)
                    .text("p1")
                    .float32(1.5f)
                    .uint(5)
                    .array(1)
                    .array(2)
                    .bytes(emb)
                    .float32(0.1f)),
            "threshold must be in (0, 1]"),
        Arguments.of(
            "expiry zero",
            entry(
                Cbor.of()
                    .array(4)
                    .text("p1")
                    .float32(0.5f)
                    .uint(0)
                    .array(1)
                    .array(2)
                    .bytes(emb)
                    .float32(0.1f)),
            "entries[0].expiresMillis must be in 1.."),
        Arguments.of(
            "alias with slash",
            entry(
                Cbor.of()
                    .array(4)
                    .text("a/b")
                    .float32(0.5f)
                    .uint(5)
                    .array(1)
                    .array(2)
                    .bytes(emb)
                    .float32(0.1f)),
            "entries[0]: entry alias must be"),
        Arguments.of(
            "no embeddings",
            entry(Cbor.of().array(4).text("p1").float32(0.5f).uint(5).array(0)),
            "1..16 embeddings required"),
        Arguments.of(
            "all-zero embedding",
            entry(
                Cbor.of()
                    .array(4)
                    .text("p1")
                    .float32(0.5f)
                    .uint(5)
                    .array(1)
                    .array(2)
                    .bytes(new byte[3])
                    .float32(0.1f)),
            "entries[0].embeddings[0]: embedding is all zero"),
        Arguments.of(
            "zero scale",
            entry(
                Cbor.of()
                    .array(4)
                    .text("p1")
                    .float32(0.5f)
                    .uint(5)
                    .array(1)
                    .array(2)
                    .bytes(emb)
                    .float32(0f)),
            "entries[0].embeddings[0]: embedding scale must be > 0"),
        Arguments.of(
            "NaN scale",
            entry(
                Cbor.of()
                    .array(4)
                    .text("p1")
                    .float32(0.5f)
                    .uint(5)
                    .array(1)
                    .array(2)
                    .bytes(emb)
                    .float32(Float.NaN)),
            "entries[0].embeddings[0].scale must be finite"),
        Arguments.of(
            "embedding a text",
            entry(
                Cbor.of()
                    .array(4)
                    .text("p1")
                    .float32(0.5f)
                    .uint(5)
                    .array(1)
                    .array(2)
                    .text("abc")
                    .float32(0.1f)),
            "entries[0].embeddings[0].values must be a byte string"),
        Arguments.of(
            "duplicate alias",
            Cbor.of()
                .array(5)
                .uint(1)
                .uint(1)
                .uint(0)
                .text("m")
                .array(2)
                .array(4)
                .text("p1")
                .float32(0.5f)
                .uint(5)
                .array(1)
                .array(2)
                .bytes(emb)
                .float32(0.1f)
                .array(4)
                .text("p1")
                .float32(0.5f)
                .uint(5)
                .array(1)
                .array(2)
                .bytes(emb)
                .float32(0.1f)
                .build(),
            "alias p1 appears twice"),
        Arguments.of(
            "mixed dimensions",
            Cbor.of()
                .array(5)
                .uint(1)
                .uint(1)
                .uint(0)
                .text("m")
                .array(2)
                .array(4)
                .text("p1")
                .float32(0.5f)
                .uint(5)
                .array(1)
                .array(2)
                .bytes(emb)
                .float32(0.1f)
                .array(4)
                .text("p2")
                .float32(0.5f)
                .uint(5)
                .array(1)
                .array(2)
                .bytes(new byte[] {1, 2})
                .float32(0.1f)
                .build(),
            "entries[1]: 2 dimensions, entries[0] has 3"));
  }

  private static byte[] entry(Cbor entry) {
    byte[] e = entry.build();
    return Cbor.of().array(5).uint(1).uint(1).uint(0).text("m").array(1).raw(e).build();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void rejectsMalformedBundlesWithAPreciseReason(String name, byte[] payload, String reason) {
    assertThatThrownBy(() -> WatchlistBundleCodec.decode(payload))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageStartingWith("watchlist bundle: ")
        .hasMessageContaining(reason);
  }

  @Test
  void rejectsAPayloadOverTheSizeBoundBeforeParsing() {
    byte[] huge = new byte[WatchlistBundleCodec.MAX_PAYLOAD_BYTES + 1];
    assertThatThrownBy(() -> WatchlistBundleCodec.decode(huge))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("exceeds the maximum");
  }

  @Test
  void rejectsEveryTruncation() {
    byte[] valid = WatchlistBundleCodec.encode(bundle(2, 8));
    for (int n = 0; n < valid.length; n++) {
      byte[] cut = java.util.Arrays.copyOf(valid, n);
      assertThatThrownBy(() -> WatchlistBundleCodec.decode(cut))
          .as("truncated to %d bytes", n)
          .isInstanceOf(MalformedMessageException.class);
    }
  }

  @Test
  void survivesRandomMutationsWithOnlyMalformedMessageException() {
    Random random = new Random(20260101);
    byte[] seed = WatchlistBundleCodec.encode(bundle(3, 16));
    for (int i = 0; i < 20_000; i++) {
      byte[] m = Mutator.mutate(random, seed);
      try {
        WatchlistBundleCodec.decode(m);
      } catch (MalformedMessageException e) {
        assertThat(e.getMessage())
            .as("mutation %d: %s", i, Mutator.hex(m))
            .doesNotContain("undecodable payload");
      }
    }
  }

  @Test
  void pseudonymousIdsAreStableKeyedAndNotTheEntryId() {
    byte[] key = PseudonymousId.newKey();
    String a = PseudonymousId.of(key, "alice-2026");
    assertThat(a).isEqualTo(PseudonymousId.of(key, "alice-2026")).hasSize(33).startsWith("p");
    assertThat(a).doesNotContain("alice");
    assertThat(PseudonymousId.of(PseudonymousId.newKey(), "alice-2026")).isNotEqualTo(a);
    assertThat(PseudonymousId.of(key, "bob")).isNotEqualTo(a);
    assertThat(Ids.isValid(a)).isTrue();
  }
}
