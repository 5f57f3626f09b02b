package io.edgecam.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Runs the hand-made corpus in src/test/resources/corpus/candidate through the decoder. */
class CandidateCorpusTest {
  private static final String DIR = "/corpus/candidate/";

  private static byte[] read(String name) {
    try (InputStream in = CandidateCorpusTest.class.getResourceAsStream(DIR + name)) {
      assertThat(in).as("corpus file %s", name).isNotNull();
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void encoderReproducesTheDocumentedExampleByteForByte() {
    // docs/protocol.md shows this file as the annotated example.
    byte[] example = read("valid-realistic-192d.cbor");
    assertThat(CandidateCodec.encode(CandidateCodec.decode(example))).isEqualTo(example);
    assertThat(example).hasSize(264);
  }

  @TestFactory
  Stream<DynamicTest> everyCorpusFileDecodesOrIsRejectedWithItsReason() {
    List<String> lines =
        new String(read("expected.txt"), StandardCharsets.UTF_8)
            .lines()
            .filter(l -> !l.isBlank() && !l.startsWith("#"))
            .toList();
    assertThat(lines).hasSizeGreaterThan(40);
    return lines.stream()
        .map(
            line -> {
              String[] parts = line.split("\t", 2);
              String file = parts[0];
              String expected = parts[1];
              return DynamicTest.dynamicTest(
                  file,
                  () -> {
                    byte[] payload = read(file);
                    if (expected.equals("valid")) {
                      Candidate c = CandidateCodec.decode(payload);
                      assertThat(CandidateCodec.decode(CandidateCodec.encode(c))).isEqualTo(c);
                    } else {
                      assertThatThrownBy(() -> CandidateCodec.decode(payload))
                          .isExactlyInstanceOf(MalformedMessageException.class)
                          .hasMessageStartingWith("candidate: ")
                          .hasMessageContaining(expected)
                          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("undecodable"));
                    }
                  });
            });
  }
}
