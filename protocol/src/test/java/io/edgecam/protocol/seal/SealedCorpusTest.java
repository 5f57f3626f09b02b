package io.edgecam.protocol.seal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgecam.protocol.Candidate;
import io.edgecam.protocol.CandidateCodec;
import io.edgecam.protocol.EdgecamException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The hand-made sealed corpus (src/test/resources/corpus/sealed, written by
 * make_candidate_corpus.py) through the matcher's decoder with the example's key: valid files open,
 * the others are refused with the reason in expected.txt.
 */
class SealedCorpusTest {
  private static final CandidateOpener OPENER =
      CandidateOpener.of(
          List.of(
              SealingKeyPair.ofRawPrivate(
                  HexFormat.of()
                      .parseHex(
                          "4612c550263fc8ad58375df3f557aac531d26850903e55a9f23f21d8534e8ac8"))),
          true);

  @TestFactory
  Stream<DynamicTest> everySealedCorpusFileOpensOrIsRefusedWithItsReason() {
    List<String> lines =
        new String(
                SealedExampleTest.resource("/corpus/sealed/expected.txt"), StandardCharsets.UTF_8)
            .lines()
            .filter(l -> !l.isBlank() && !l.startsWith("#"))
            .toList();
    assertThat(lines).hasSizeGreaterThan(15);
    return lines.stream()
        .map(
            line -> {
              String[] parts = line.split("\t", 2);
              return DynamicTest.dynamicTest(
                  parts[0],
                  () -> {
                    byte[] payload = SealedExampleTest.resource("/corpus/sealed/" + parts[0]);
                    if (parts[1].equals("valid")) {
                      Candidate c = OPENER.open(payload);
                      assertThat(c.embedding().dimensions()).isEqualTo(192);
                      assertThat(CandidateCodec.decodeSealed(payload)).isNotNull();
                    } else {
                      assertThatThrownBy(() -> OPENER.open(payload))
                          .isInstanceOf(EdgecamException.class)
                          .hasMessageStartingWith("candidate: ")
                          .hasMessageContaining(parts[1])
                          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("undecodable"));
                    }
                  });
            });
  }
}
