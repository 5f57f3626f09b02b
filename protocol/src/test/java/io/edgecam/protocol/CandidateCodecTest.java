package io.edgecam.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CandidateCodecTest {

  // ---- given: a valid candidate written field by field, with one field swapped out ----

  private static final Candidate VALID = Fixtures.candidate();

  private static Consumer<Cbor> validField(int index) {
    Candidate c = VALID;
    return switch (index) {
      case 0 -> w -> w.uint(1);
      case 1 -> w -> w.text(c.device());
      case 2 -> w -> w.uint(c.sequence());
      case 3 -> w -> w.uint(c.captureTimeMillis());
      case 4 -> w -> w.uint(c.trackId());
      case 5 -> w -> w.uint(c.qualityPermille());
      case 6 -> w -> box(w, c.box().x(), c.box().y(), c.box().width(), c.box().height());
      case 7 -> w -> w.text(c.model());
      case 8 -> w -> w.bytes(c.embedding().values());
      case 9 -> w -> w.float32(c.embedding().scale());
      default -> throw new IllegalArgumentException("field " + index);
    };
  }

  private static Cbor box(Cbor w, long... v) {
    w.array(v.length);
    for (long x : v) {
      w.uint(x);
    }
    return w;
  }

  /** The valid candidate with field {@code index} written by {@code field} instead. */
  static byte[] candidateWith(int index, Consumer<Cbor> field) {
    Cbor w = Cbor.of().array(CandidateCodec.FIELDS);
    for (int i = 0; i < CandidateCodec.FIELDS; i++) {
      (i == index ? field : validField(i)).accept(w);
    }
    return w.build();
  }

  /** An array of the first {@code n} valid fields (plus extras beyond 10). */
  static byte[] candidateWithFieldCount(int n) {
    Cbor w = Cbor.of().array(n);
    for (int i = 0; i < n; i++) {
      if (i < CandidateCodec.FIELDS) {
        validField(i).accept(w);
      } else {
        w.uint(0);
      }
    }
    return w.build();
  }

  // ---- round trip and size ----

  @Test
  void handWrittenLayoutDecodesToTheCandidate() {
    assertThat(CandidateCodec.decode(candidateWith(0, validField(0)))).isEqualTo(VALID);
  }

  @Test
  void encoderWritesExactlyTheDocumentedLayout() {
    assertThat(CandidateCodec.encode(VALID)).isEqualTo(candidateWith(0, validField(0)));
  }

  @Test
  void roundTripsCandidates() {
    Random random = new Random(7);
    for (int i = 0; i < 200; i++) {
      Candidate c =
          new Candidate(
              "d" + i,
              random.nextLong() & Long.MAX_VALUE,
              Math.floorMod(random.nextLong(), Candidate.MAX_CAPTURE_TIME_MILLIS + 1),
              random.nextInt() & Integer.MAX_VALUE,
              random.nextInt(1001),
              new Box(
                  random.nextInt(65_536),
                  random.nextInt(65_536),
                  random.nextInt(65_536),
                  random.nextInt(65_536)),
              "m@" + i,
              Int8Embedding.quantize(Fixtures.unitVector(random, 1 + random.nextInt(1024))));
      assertThat(CandidateCodec.decode(CandidateCodec.encode(c))).isEqualTo(c);
    }
  }

  @Test
  void roundTripsExtremeValues() {
    byte[] q = new byte[Int8Embedding.MAX_DIMENSIONS];
    Arrays.fill(q, (byte) -128);
    Candidate max =
        new Candidate(
            "a".repeat(64),
            Long.MAX_VALUE,
            Candidate.MAX_CAPTURE_TIME_MILLIS,
            Integer.MAX_VALUE,
            1000,
            new Box(65_535, 65_535, 65_535, 65_535),
            "~".repeat(64),
            new Int8Embedding(q, Float.MAX_VALUE / 128f));
    Candidate min =
        new Candidate(
            "0",
            0,
            0,
            0,
            0,
            new Box(0, 0, 0, 0),
            "m",
            new Int8Embedding(new byte[] {1}, Float.MIN_VALUE));
    assertThat(CandidateCodec.decode(CandidateCodec.encode(max))).isEqualTo(max);
    assertThat(CandidateCodec.decode(CandidateCodec.encode(min))).isEqualTo(min);
    assertThat(CandidateCodec.encode(max).length)
        .isLessThanOrEqualTo(CandidateCodec.MAX_PAYLOAD_BYTES);
  }

  @Test
  void realistic192dCandidateSizeIsExactlyKnown() {
    byte[] payload = CandidateCodec.encode(VALID);
    System.out.println(
        "candidate payload (192-d, cam-0001, mobilefacenet@1.0.24, seq 31536000, track 70000): "
            + payload.length
            + " bytes");
    // 213 fixed + 8 device + 20 model + seq 5 + track 5 + quality 3 + box 3+3+2+2
    // (docs/protocol.md)
    assertThat(payload).hasSize(264);
  }

  @Test
  void freshDevice192dCandidateFitsIn256Bytes() {
    Candidate fresh =
        new Candidate(
            Fixtures.DEVICE,
            7,
            1_767_225_600_123L,
            3,
            873,
            new Box(1_412, 655, 118, 131),
            Fixtures.MODEL,
            VALID.embedding());
    byte[] payload = CandidateCodec.encode(fresh);
    System.out.println(
        "candidate payload (192-d, fresh device, seq 7, track 3): " + payload.length + " bytes");
    assertThat(payload.length).isLessThanOrEqualTo(256);
  }

  @Test
  void longRunningDevice192dCandidateWithShortModelTagFitsIn256Bytes() {
    // The agent sends the embedder manifest's short tag (docs/protocol.md section 2).
    Candidate c =
        new Candidate(
            VALID.device(),
            VALID.sequence(),
            VALID.captureTimeMillis(),
            VALID.trackId(),
            VALID.qualityPermille(),
            VALID.box(),
            "mfn-1.0.24",
            VALID.embedding());
    assertThat(CandidateCodec.encode(c).length).isEqualTo(254);
    assertThat(WireStats.representative(192).payloadBytes()).isEqualTo(254);
  }

  // ---- rejection, with the precise reason ----

  static Stream<Arguments> malformed() {
    byte[] valid = CandidateCodec.encode(VALID);
    byte[] q = VALID.embedding().values();
    List<Arguments> cases = new ArrayList<>();
    cases.add(Arguments.of("null", null, "empty payload"));
    cases.add(Arguments.of("empty", new byte[0], "empty payload"));
    cases.add(Arguments.of("oversized", new byte[2049], "2049 bytes exceeds 2048"));
    cases.add(Arguments.of("JSON text", "{\"v\":1}".getBytes(), "must be a CBOR array, found"));
    cases.add(Arguments.of("a map", Cbor.of().map(0).build(), "must be a CBOR array, found a map"));
    cases.add(Arguments.of("an integer", Cbor.of().uint(1).build(), "must be a CBOR array"));
    cases.add(Arguments.of("reserved byte 0x1c", Cbor.of().raw(0x1c).build(), "not valid CBOR"));
    cases.add(Arguments.of("break at top", Cbor.of().raw(0xff).build(), "candidate:"));
    cases.add(
        Arguments.of(
            "empty array",
            Cbor.of().array(0).build(),
            "exactly 10 fields, had 0 (missing version (field 0))"));
    cases.add(
        Arguments.of("9 fields", candidateWithFieldCount(9), "had 9 (missing scale (field 9))"));
    cases.add(
        Arguments.of(
            "11 fields", candidateWithFieldCount(11), "exactly 10 fields, found more: an integer"));
    cases.add(
        Arguments.of(
            "version 2",
            candidateWith(0, w -> w.uint(2)),
            "unsupported version 2, this decoder reads 1"));
    cases.add(Arguments.of("version 0", candidateWith(0, w -> w.uint(0)), "unsupported version 0"));
    cases.add(
        Arguments.of(
            "version as text",
            candidateWith(0, w -> w.text("1")),
            "version (field 0) must be an unsigned integer, found a text string"));
    cases.add(
        Arguments.of(
            "version -1",
            candidateWith(0, w -> w.nint(0)),
            "version (field 0) must be in 0..2147483647, was -1"));
    cases.add(
        Arguments.of(
            "version as float",
            candidateWith(0, w -> w.float32(1f)),
            "version (field 0) must be an unsigned integer, found a float"));
    cases.add(
        Arguments.of(
            "device as bytes",
            candidateWith(1, w -> w.bytes(new byte[] {0x61})),
            "device (field 1) must be a text string, found a byte string"));
    cases.add(
        Arguments.of(
            "device null",
            candidateWith(1, w -> w.raw(0xf6)),
            "device (field 1) must be a text string, found null"));
    cases.add(
        Arguments.of(
            "device empty",
            candidateWith(1, w -> w.text("")),
            "device (field 1) must be 1-64 characters"));
    cases.add(
        Arguments.of(
            "device 65 chars",
            candidateWith(1, w -> w.text("a".repeat(65))),
            "device (field 1) is 65 characters, at most 64"));
    for (String bad :
        List.of("cam/1", "cam+", "#", "$SYS", "kamera-ü", "cam 1", "-cam", "cam\n1", "cam\u0000")) {
      cases.add(
          Arguments.of(
              "device " + bad,
              candidateWith(1, w -> w.text(bad)),
              "device (field 1) must be 1-64 characters of [A-Za-z0-9._-]"));
    }
    cases.add(
        Arguments.of(
            "device reserved",
            candidateWith(1, w -> w.text("tuf")),
            "device (field 1) 'tuf' is reserved"));
    cases.add(
        Arguments.of(
            "device invalid UTF-8", candidateWith(1, w -> w.raw(0x62, 0xc3, 0x28)), "candidate:"));
    cases.add(
        Arguments.of(
            "sequence -1",
            candidateWith(2, w -> w.nint(0)),
            "sequence (field 2) must be in 0..9223372036854775807, was -1"));
    cases.add(
        Arguments.of(
            "sequence 2^64-1",
            candidateWith(2, w -> w.raw(0x1b).raw(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)),
            "sequence (field 2) must be in 0..9223372036854775807, was 18446744073709551615"));
    cases.add(
        Arguments.of(
            "sequence -2^64",
            candidateWith(2, w -> w.raw(0x3b).raw(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)),
            "sequence (field 2) must be in 0..9223372036854775807, was -18446744073709551616"));
    cases.add(
        Arguments.of(
            "sequence bignum tag",
            candidateWith(2, w -> w.tag(2).bytes(new byte[] {1})),
            "sequence (field 2) must not be a CBOR bignum (tag 2/3)"));
    cases.add(
        Arguments.of(
            "sequence as float",
            candidateWith(2, w -> w.float64(5.0)),
            "sequence (field 2) must be an unsigned integer, found a float"));
    cases.add(
        Arguments.of(
            "capture time in year 10000",
            candidateWith(3, w -> w.uint(Candidate.MAX_CAPTURE_TIME_MILLIS + 1)),
            "captureTimeMillis (field 3) must be in 0..253402300799999, was 253402300800000"));
    cases.add(
        Arguments.of(
            "capture time negative",
            candidateWith(3, w -> w.nint(99)),
            "captureTimeMillis (field 3) must be in 0..253402300799999, was -100"));
    cases.add(
        Arguments.of(
            "trackId 2^31",
            candidateWith(4, w -> w.uint(1L << 31)),
            "trackId (field 4) must be in 0..2147483647, was 2147483648"));
    cases.add(
        Arguments.of(
            "trackId as boolean",
            candidateWith(4, w -> w.raw(0xf5)),
            "trackId (field 4) must be an unsigned integer, found a boolean"));
    cases.add(
        Arguments.of(
            "quality 1001",
            candidateWith(5, w -> w.uint(1001)),
            "qualityPermille (field 5) must be in 0..1000, was 1001"));
    cases.add(
        Arguments.of(
            "box with 3 numbers",
            candidateWith(6, w -> box(w, 1, 2, 3)),
            "box (field 6) must have exactly 4 numbers, had 3"));
    cases.add(
        Arguments.of(
            "box with 5 numbers",
            candidateWith(6, w -> box(w, 1, 2, 3, 4, 5)),
            "box (field 6) must have exactly 4 numbers, found more: an integer"));
    cases.add(
        Arguments.of(
            "box empty",
            candidateWith(6, w -> box(w)),
            "box (field 6) must have exactly 4 numbers, had 0"));
    cases.add(
        Arguments.of(
            "box as map",
            candidateWith(6, w -> w.map(0)),
            "box (field 6) must be an array of 4 integers, found a map"));
    cases.add(
        Arguments.of(
            "box x 65536",
            candidateWith(6, w -> box(w, 65_536, 0, 1, 1)),
            "box.x (field 6) must be in 0..65535, was 65536"));
    cases.add(
        Arguments.of(
            "box height negative",
            candidateWith(6, w -> w.array(4).uint(0).uint(0).uint(1).nint(0)),
            "box.height (field 6) must be in 0..65535, was -1"));
    cases.add(
        Arguments.of(
            "box with a float",
            candidateWith(6, w -> w.array(4).uint(0).uint(0).uint(1).float32(2f)),
            "box.height (field 6) must be an unsigned integer, found a float"));
    cases.add(
        Arguments.of(
            "box nested",
            candidateWith(6, w -> w.array(4).array(1).uint(1).uint(2).uint(3).uint(4)),
            "box.x (field 6) must be an unsigned integer, found an array"));
    cases.add(
        Arguments.of(
            "model empty",
            candidateWith(7, w -> w.text("")),
            "model (field 7) must be 1..64 visible ASCII characters, was ''"));
    cases.add(
        Arguments.of(
            "model 65 chars",
            candidateWith(7, w -> w.text("m".repeat(65))),
            "model (field 7) is 65 characters, at most 64"));
    cases.add(
        Arguments.of(
            "model with space",
            candidateWith(7, w -> w.text("mobile facenet@1")),
            "model (field 7) must be 1..64 visible ASCII characters, was 'mobile facenet@1'"));
    cases.add(
        Arguments.of(
            "model unicode",
            candidateWith(7, w -> w.text("gesicht@1\u202e")),
            "was 'gesicht@1\\u202e'"));
    cases.add(
        Arguments.of(
            "embedding as text",
            candidateWith(8, w -> w.text("abc")),
            "embedding (field 8) must be a byte string, found a text string"));
    cases.add(
        Arguments.of(
            "embedding as array",
            candidateWith(8, w -> w.array(1).uint(1)),
            "embedding (field 8) must be a byte string, found an array"));
    cases.add(
        Arguments.of(
            "embedding empty",
            candidateWith(8, w -> w.bytes(new byte[0])),
            "embedding (field 8) has 0 dimensions, expected 1..1024"));
    cases.add(
        Arguments.of(
            "embedding 1025-d",
            candidateWith(8, w -> w.bytes(new byte[1025])),
            "embedding (field 8) has 1025 dimensions, expected 1..1024"));
    cases.add(
        Arguments.of(
            "embedding all zero",
            candidateWith(8, w -> w.bytes(new byte[192])),
            "embedding (field 8) is all zero"));
    cases.add(
        Arguments.of(
            "scale NaN",
            candidateWith(9, w -> w.float32(Float.NaN)),
            "scale (field 9) must be > 0 with 127 * scale a finite float32, was NaN"));
    cases.add(
        Arguments.of(
            "scale +Inf",
            candidateWith(9, w -> w.float32(Float.POSITIVE_INFINITY)),
            "scale (field 9) must be > 0"));
    cases.add(
        Arguments.of(
            "scale -Inf",
            candidateWith(9, w -> w.float64(Double.NEGATIVE_INFINITY)),
            "scale (field 9) must be > 0"));
    cases.add(
        Arguments.of(
            "scale zero",
            candidateWith(9, w -> w.float32(0f)),
            "scale (field 9) must be > 0 with 127 * scale a finite float32, was 0.0"));
    cases.add(
        Arguments.of(
            "scale -0", candidateWith(9, w -> w.float32(-0f)), "scale (field 9) must be > 0"));
    cases.add(
        Arguments.of(
            "scale negative",
            candidateWith(9, w -> w.float32(-0.01f)),
            "scale (field 9) must be > 0"));
    cases.add(
        Arguments.of(
            "scale huge",
            candidateWith(9, w -> w.float64(1e300)),
            "scale (field 9) must be > 0 with 127 * scale a finite float32, was 1.0E300"));
    cases.add(
        Arguments.of(
            "scale underflows float32",
            candidateWith(9, w -> w.float64(1e-300)),
            "scale (field 9) must be > 0"));
    cases.add(
        Arguments.of(
            "scale as integer",
            candidateWith(9, w -> w.uint(1)),
            "scale (field 9) must be a CBOR float, found an integer"));
    cases.add(
        Arguments.of(
            "scale as text",
            candidateWith(9, w -> w.text("0.01")),
            "scale (field 9) must be a CBOR float, found a text string"));
    cases.add(
        Arguments.of(
            "scale as decimal fraction tag",
            candidateWith(9, w -> w.tag(4).array(2).nint(1).uint(1)),
            "scale (field 9) must be a CBOR float, found a CBOR decimal (tag 4/5)"));
    cases.add(
        Arguments.of(
            "tagged device",
            candidateWith(1, w -> w.tag(0).text("cam-0001")),
            "CBOR tag 0 is not allowed"));
    cases.add(
        Arguments.of(
            "self-describe tag on the array",
            Cbor.of().tag(55_799).raw(valid).build(),
            "CBOR tag 55799 is not allowed"));
    cases.add(
        Arguments.of(
            "trailing byte",
            Cbor.of().raw(valid).raw(0x00).build(),
            "trailing bytes after the array (array ends at byte 264 of 265)"));
    cases.add(
        Arguments.of(
            "trailing break",
            Cbor.of().raw(valid).raw(0xff).build(),
            "trailing bytes after the array"));
    cases.add(
        Arguments.of(
            "two candidates",
            Cbor.of().raw(valid).raw(valid).build(),
            "trailing bytes after the array"));
    Cbor deep = Cbor.of();
    for (int i = 0; i < 2000; i++) {
      deep.array(1);
    }
    cases.add(
        Arguments.of(
            "2000 nested arrays",
            deep.build(),
            "version (field 0) must be an unsigned integer, found an array"));
    Cbor deepInField = Cbor.of().array(10).uint(1).text("cam-0001").uint(1).uint(1).uint(1).uint(1);
    for (int i = 0; i < 1500; i++) {
      deepInField.array(1);
    }
    cases.add(
        Arguments.of(
            "nested arrays as box",
            deepInField.build(),
            "box.x (field 6) must be an unsigned integer, found an array"));
    cases.add(
        Arguments.of(
            "indefinite byte string with bad chunk",
            candidateWith(8, w -> w.raw(0x5f).text("x").raw(0xff)),
            "candidate:"));
    cases.add(
        Arguments.of(
            "embedding in a huge declared length",
            candidateWith(
                8, w -> w.raw(0x5b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff).raw(q)),
            "candidate:"));
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void rejectsMalformedPayloadWithPreciseReason(String name, byte[] payload, String reason) {
    assertThatThrownBy(() -> CandidateCodec.decode(payload))
        .isExactlyInstanceOf(MalformedMessageException.class)
        .hasMessageStartingWith("candidate: ")
        .hasMessageContaining(reason);
  }

  @Test
  void rejectsEveryTruncationOfAValidPayload() {
    byte[] valid = CandidateCodec.encode(VALID);
    for (int n = 0; n < valid.length; n++) {
      byte[] cut = Arrays.copyOf(valid, n);
      assertThatThrownBy(() -> CandidateCodec.decode(cut))
          .as("truncated to %d bytes", n)
          .isExactlyInstanceOf(MalformedMessageException.class)
          .hasMessageStartingWith("candidate: ");
    }
  }

  @Test
  void acceptsIndefiniteLengthAndNonShortestEncodings() {
    // Decoders accept any well-formed CBOR for a field (RFC 8949 section 5.2 leniency).
    byte[] nonShortest = candidateWith(0, w -> w.raw(0x1b, 0, 0, 0, 0, 0, 0, 0, 1));
    assertThat(CandidateCodec.decode(nonShortest)).isEqualTo(VALID);
    byte[] q = VALID.embedding().values();
    byte[] chunked =
        candidateWith(
            8,
            w ->
                w.raw(0x5f)
                    .bytes(Arrays.copyOf(q, 100))
                    .bytes(Arrays.copyOfRange(q, 100, q.length))
                    .raw(0xff));
    assertThat(CandidateCodec.decode(chunked)).isEqualTo(VALID);
    byte[] doubleScale = candidateWith(9, w -> w.float64(VALID.embedding().scale()));
    assertThat(CandidateCodec.decode(doubleScale)).isEqualTo(VALID);
  }

  @Test
  void survivesRandomMutationsWithOnlyMalformedMessageException() {
    Random random = new Random(20_250_601L);
    List<byte[]> seeds =
        List.of(
            CandidateCodec.encode(VALID),
            CandidateCodec.encode(Fixtures.candidate("c", "m@1", 8)),
            candidateWith(
                8, w -> w.raw(0x5f).bytes(new byte[] {1, 2}).bytes(new byte[] {3}).raw(0xff)));
    int valid = 0;
    for (int i = 0; i < 20_000; i++) {
      byte[] m = Mutator.mutate(random, seeds.get(i % seeds.size()));
      try {
        Candidate c = CandidateCodec.decode(m);
        assertThat(CandidateCodec.decode(CandidateCodec.encode(c))).isEqualTo(c);
        valid++;
      } catch (MalformedMessageException e) {
        assertThat(e.getMessage())
            .as("mutation %d: %s", i, Mutator.hex(m))
            .startsWith("candidate: ")
            .doesNotContain("undecodable");
      }
    }
    System.out.println("candidate mutations: 20000, still valid: " + valid);
  }
}
