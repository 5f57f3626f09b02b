package io.edgecam.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The hand-made JSON corpus (src/test/resources/corpus/json, written by make_json_corpus.py): deep
 * nesting, Unicode look-alikes in ids, NaN/Infinity, oversized payloads, through the decoder that
 * expected.txt names.
 */
class JsonCorpusTest {
  private static byte[] read(String name) {
    try (InputStream in = JsonCorpusTest.class.getResourceAsStream("/corpus/json/" + name)) {
      assertThat(in).as("corpus file %s", name).isNotNull();
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Function<byte[], Object> decoder(String name) {
    return switch (name) {
      case "status" -> JsonMessages::decodeStatus;
      case "event" -> JsonMessages::decodeEvent;
      case "alert" -> JsonMessages::decodeAlert;
      default -> throw new IllegalArgumentException("unknown decoder " + name);
    };
  }

  @TestFactory
  Stream<DynamicTest> everyJsonCorpusFileDecodesOrIsRejectedWithItsReason() {
    List<String> lines =
        new String(read("expected.txt"), StandardCharsets.UTF_8)
            .lines()
            .filter(l -> !l.isBlank() && !l.startsWith("#"))
            .toList();
    assertThat(lines).hasSizeGreaterThan(20);
    return lines.stream()
        .map(
            line -> {
              String[] p = line.split("\t", 3);
              return DynamicTest.dynamicTest(
                  p[0],
                  () -> {
                    byte[] payload = read(p[0]);
                    Function<byte[], Object> d = decoder(p[1]);
                    if (p[2].equals("valid")) {
                      Object value = d.apply(payload);
                      assertThat(d.apply(JsonMessages.encode(value))).isEqualTo(value);
                    } else {
                      assertThatThrownBy(() -> d.apply(payload))
                          .isExactlyInstanceOf(MalformedMessageException.class)
                          .hasMessageStartingWith(p[1] + ": ")
                          .hasMessageContaining(p[2])
                          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("undecodable"));
                    }
                  });
            });
  }
}
