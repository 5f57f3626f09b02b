package io.edgecam.protocol.seal;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgecam.protocol.Candidate;
import io.edgecam.protocol.CandidateCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The annotated version-2 example of docs/protocol.md section 7: the version-1 example candidate
 * sealed with the key pairs of RFC 9180 appendix A.1.1 (recipient skRm, ephemeral skEm), so that
 * anyone can reproduce it byte for byte.
 */
class SealedExampleTest {
  static final String EXAMPLE = "/corpus/sealed/valid-sealed-realistic-192d.cbor";
  private static final HexFormat HEX = HexFormat.of();

  static byte[] resource(String name) {
    try (InputStream in = SealedExampleTest.class.getResourceAsStream(name)) {
      assertThat(in).as("resource %s", name).isNotNull();
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] sealExample() {
    Candidate plain =
        CandidateCodec.decode(resource("/corpus/candidate/valid-realistic-192d.cbor"));
    SealingKeyPair matcher =
        SealingKeyPair.ofRawPrivate(
            HEX.parseHex("4612c550263fc8ad58375df3f557aac531d26850903e55a9f23f21d8534e8ac8"));
    return CandidateCodec.encodeSealed(
        new CandidateSealer(matcher.publicKey()).seal(plain, HpkeTest.fixedEphemeral()));
  }

  @Test
  void encoderReproducesTheDocumentedSealedExampleByteForByte() throws IOException {
    byte[] sealed = sealExample();
    String write = System.getProperty("edgecam.writeCorpus");
    if (write != null) {
      // -Dedgecam.writeCorpus=protocol/src/test/resources rewrites the file (then commit it).
      Path file = Path.of(write + EXAMPLE);
      Files.createDirectories(file.getParent());
      Files.write(file, sealed);
    }
    byte[] example = resource(EXAMPLE);
    assertThat(HEX.formatHex(sealed)).isEqualTo(HEX.formatHex(example));
    assertThat(example).hasSize(318);
    SealingKeyPair matcher =
        SealingKeyPair.ofRawPrivate(
            HEX.parseHex("4612c550263fc8ad58375df3f557aac531d26850903e55a9f23f21d8534e8ac8"));
    assertThat(CandidateOpener.of(List.of(matcher), true).open(example))
        .isEqualTo(CandidateCodec.decode(resource("/corpus/candidate/valid-realistic-192d.cbor")));
  }
}
