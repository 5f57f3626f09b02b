package io.edgecam.protocol.seal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgecam.protocol.Box;
import io.edgecam.protocol.Candidate;
import io.edgecam.protocol.CandidateCodec;
import io.edgecam.protocol.Int8Embedding;
import io.edgecam.protocol.MalformedMessageException;
import io.edgecam.protocol.SealedCandidate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Sealing and opening candidates: round trip, size, secrecy, integrity and key rotation. */
class SealedCandidateTest {
  private static final SealingKeyPair MATCHER = SealingKeyPair.generate();
  private static final CandidateSealer SEALER = new CandidateSealer(MATCHER.publicKey());
  private static final CandidateOpener OPENER = CandidateOpener.of(List.of(MATCHER), false);

  static float[] unitVector(Random random, int dimensions) {
    float[] v = new float[dimensions];
    double norm = 0;
    for (int i = 0; i < dimensions; i++) {
      v[i] = (float) random.nextGaussian();
      norm += v[i] * v[i];
    }
    for (int i = 0; i < dimensions; i++) {
      v[i] /= (float) Math.sqrt(norm);
    }
    return v;
  }

  static Candidate candidate(String device, long sequence, String model, int seed) {
    return new Candidate(
        device,
        sequence,
        1_767_225_600_123L,
        70_000,
        873,
        new Box(1_412, 655, 118, 131),
        model,
        Int8Embedding.quantize(unitVector(new Random(seed), 192)));
  }

  @Test
  void sealedCandidateOpensToTheSameCandidate() {
    Candidate c = candidate("cam-0001", 31_536_000L, "mfn-1.0.24", 1);
    byte[] payload = SEALER.sealAndEncode(c);
    assertThat(OPENER.open(payload)).isEqualTo(c);
    SealedCandidate s = CandidateCodec.decodeSealed(payload);
    assertThat(CandidateCodec.encodeSealed(s)).isEqualTo(payload);
    assertThat(s.keyId()).isEqualTo(MATCHER.publicKey().keyId());
    // A fresh ephemeral key per candidate: sealing twice gives different bytes.
    assertThat(SEALER.sealAndEncode(c)).isNotEqualTo(payload);
  }

  @Test
  void sealedCandidateAtEveryFieldsMaximumFitsIn320Bytes() {
    // The largest 192-d candidate with an 8-character device id and a 10-character model tag.
    byte[] q = new byte[192];
    Arrays.fill(q, (byte) -128);
    Candidate max =
        new Candidate(
            "cam-0001",
            Long.MAX_VALUE,
            Candidate.MAX_CAPTURE_TIME_MILLIS,
            Integer.MAX_VALUE,
            1000,
            new Box(65_535, 65_535, 65_535, 65_535),
            "mfn-1.0.24",
            new Int8Embedding(q, Float.MAX_VALUE / 128f));
    byte[] payload = SEALER.sealAndEncode(max);
    assertThat(payload).hasSize(314).hasSizeLessThanOrEqualTo(320);
    assertThat(OPENER.open(payload)).isEqualTo(max);
    // The same candidate plain: sealing costs 54 bytes (key id 5, ephemeral key 34, GCM tag 16,
    // minus the float head of the scale, which travels as 4 raw bytes inside the ciphertext).
    assertThat(payload.length - CandidateCodec.encode(max).length).isEqualTo(54);
    // Every further character of device id or model tag costs a byte: 6 to spare.
    Candidate longer =
        new Candidate(
            "cam-00001234",
            max.sequence(),
            max.captureTimeMillis(),
            max.trackId(),
            max.qualityPermille(),
            max.box(),
            "mfn-1.0.24-x",
            max.embedding());
    assertThat(SEALER.sealAndEncode(longer)).hasSize(320);
  }

  @Test
  void payloadHoldsNeitherTheInt8VectorNorAnyLongRunOfIt() {
    Candidate c = candidate("cam-0001", 7, "mfn-1.0.24", 2);
    byte[] values = c.embedding().values();
    byte[] payload = SEALER.sealAndEncode(c);
    byte[] plain = CandidateCodec.encode(c);
    assertThat(indexOf(plain, values)).isPositive();
    assertThat(indexOf(payload, values)).isNegative();
    // Not even 8 consecutive values appear (a plain run would be a partial leak).
    for (int i = 0; i + 8 <= values.length; i++) {
      assertThat(indexOf(payload, Arrays.copyOfRange(values, i, i + 8)))
          .as("values %d..%d in the sealed payload", i, i + 8)
          .isNegative();
    }
  }

  @Test
  void anotherMatchersKeyCannotOpenIt() {
    byte[] payload = SEALER.sealAndEncode(candidate("cam-0001", 7, "mfn-1.0.24", 3));
    SealingKeyPair other = SealingKeyPair.generate();
    assertThatThrownBy(() -> CandidateOpener.of(List.of(other), false).open(payload))
        .isInstanceOfSatisfying(
            UnsealException.class,
            e -> assertThat(e.kind()).isEqualTo(UnsealException.Kind.UNKNOWN_KEY))
        .hasMessageContaining("sealed to key " + MATCHER.publicKey().keyIdHex());
    assertThatThrownBy(() -> CandidateOpener.plainOnly().open(payload))
        .isInstanceOf(UnsealException.class)
        .hasMessageContaining("no sealing key");
    // Even claiming the other key's id (so that it is tried), authentication fails.
    SealedCandidate s = CandidateCodec.decodeSealed(payload);
    byte[] relabeled =
        CandidateCodec.encodeSealed(
            SealedCandidate.of(
                s.withEmbedding(new Int8Embedding(new byte[] {1}, 1f)),
                other.publicKey().keyId(),
                s.ephemeralKey(),
                s.ciphertext()));
    assertThatThrownBy(() -> CandidateOpener.of(List.of(other), false).open(relabeled))
        .isInstanceOfSatisfying(
            UnsealException.class,
            e -> assertThat(e.kind()).isEqualTo(UnsealException.Kind.NOT_AUTHENTIC));
    // And the v1 decoder refuses it up front.
    assertThatThrownBy(() -> CandidateCodec.decode(payload))
        .isExactlyInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("unsupported version 2");
  }

  @Test
  void changingAnyByteIsRejected() {
    byte[] payload = SEALER.sealAndEncode(candidate("cam-0001", 31_536_000L, "mfn-1.0.24", 4));
    int malformed = 0;
    int unauthentic = 0;
    for (int i = 0; i < payload.length; i++) {
      for (int flip : new int[] {0x01, 0x80, 0xff}) {
        byte[] t = payload.clone();
        t[i] ^= (byte) flip;
        try {
          Candidate c = OPENER.open(t);
          throw new AssertionError("byte " + i + " ^ " + flip + " accepted as " + c);
        } catch (MalformedMessageException e) {
          malformed++;
        } catch (UnsealException e) {
          assertThat(e.kind())
              .isIn(UnsealException.Kind.NOT_AUTHENTIC, UnsealException.Kind.UNKNOWN_KEY);
          unauthentic++;
        }
      }
    }
    assertThat(malformed + unauthentic).isEqualTo(3 * payload.length);
    // Most changes parse and are caught by authentication, not by the parser.
    assertThat(unauthentic).isGreaterThan(payload.length);
  }

  @Test
  void headerCannotBeMovedToAnotherSealedBody() {
    SealedCandidate a =
        CandidateCodec.decodeSealed(
            SEALER.sealAndEncode(candidate("cam-0001", 10, "mfn-1.0.24", 5)));
    SealedCandidate b =
        CandidateCodec.decodeSealed(
            SEALER.sealAndEncode(candidate("cam-0002", 99, "mfn-1.0.24", 6)));
    List<SealedCandidate> swaps = new ArrayList<>();
    // a's header (device, sequence, time...) with b's sealed body, and a with b's sequence only.
    swaps.add(
        new SealedCandidate(
            a.device(),
            a.sequence(),
            a.captureTimeMillis(),
            a.trackId(),
            a.qualityPermille(),
            a.box(),
            a.model(),
            b.keyId(),
            b.ephemeralKey(),
            b.ciphertext()));
    swaps.add(
        new SealedCandidate(
            a.device(),
            b.sequence(),
            a.captureTimeMillis(),
            a.trackId(),
            a.qualityPermille(),
            a.box(),
            a.model(),
            a.keyId(),
            a.ephemeralKey(),
            a.ciphertext()));
    swaps.add(
        new SealedCandidate(
            a.device(),
            a.sequence(),
            a.captureTimeMillis() + 1,
            a.trackId(),
            a.qualityPermille(),
            a.box(),
            a.model(),
            a.keyId(),
            a.ephemeralKey(),
            a.ciphertext()));
    for (SealedCandidate s : swaps) {
      assertThatThrownBy(() -> OPENER.open(CandidateCodec.encodeSealed(s)))
          .isInstanceOfSatisfying(
              UnsealException.class,
              e -> assertThat(e.kind()).isEqualTo(UnsealException.Kind.NOT_AUTHENTIC));
    }
  }

  @Test
  void twoKeysDuringRotationOpenCandidatesSealedToEither() {
    SealingKeyPair next = SealingKeyPair.generate();
    CandidateOpener rotating = CandidateOpener.of(List.of(MATCHER, next), false);
    Candidate c1 = candidate("cam-0001", 1, "mfn-1.0.24", 7);
    Candidate c2 = candidate("cam-0001", 2, "mfn-1.0.24", 8);
    assertThat(rotating.open(SEALER.sealAndEncode(c1))).isEqualTo(c1);
    assertThat(rotating.open(new CandidateSealer(next.publicKey()).sealAndEncode(c2)))
        .isEqualTo(c2);
    assertThat(rotating.keyIds())
        .containsExactly(MATCHER.publicKey().keyIdHex(), next.publicKey().keyIdHex());
    assertThatThrownBy(
            () -> CandidateOpener.of(List.of(MATCHER, next, SealingKeyPair.generate()), false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1..2 private keys, had 3");
  }

  @Test
  void requiredSealingRefusesPlainCandidates() {
    Candidate c = candidate("cam-0001", 1, "mfn-1.0.24", 9);
    assertThat(OPENER.open(CandidateCodec.encode(c))).isEqualTo(c);
    assertThatThrownBy(
            () -> CandidateOpener.of(List.of(MATCHER), true).open(CandidateCodec.encode(c)))
        .isInstanceOfSatisfying(
            UnsealException.class,
            e -> assertThat(e.kind()).isEqualTo(UnsealException.Kind.NOT_SEALED))
        .hasMessageContaining("requires sealed candidates");
  }

  @Test
  void authenticButInvalidEmbeddingIsMalformed() throws Exception {
    // Anyone may seal to the public key: a valid seal of an all-zero embedding is still refused.
    Candidate c = candidate("cam-0001", 1, "mfn-1.0.24", 10);
    byte[] keyId = MATCHER.publicKey().keyId();
    java.security.KeyPair eph = X25519.generate();
    byte[] enc = X25519.raw(eph.getPublic());
    byte[] aad = CandidateCodec.sealedHeader(c, keyId, enc);
    byte[] zeros = new byte[192 + 4];
    Hpke.Sealed sealed =
        CandidateSealer.HPKE.seal(MATCHER.publicKey().raw(), CandidateSealer.INFO, aad, zeros, eph);
    byte[] payload =
        CandidateCodec.encodeSealed(SealedCandidate.of(c, keyId, enc, sealed.ciphertext()));
    assertThatThrownBy(() -> OPENER.open(payload))
        .isExactlyInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("sealed embedding (field 10)");
  }

  static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
