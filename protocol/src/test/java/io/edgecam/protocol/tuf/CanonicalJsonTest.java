package io.edgecam.protocol.tuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {
  private static String canonical(String json) {
    return new String(
        CanonicalJson.encode(
            Json.parseObject(("{\"v\":" + json + "}").getBytes(StandardCharsets.UTF_8), "test")
                .get("v")),
        StandardCharsets.UTF_8);
  }

  @Test
  void encodesSecuresystemslibVectors() {
    // securesystemslib tests/test_formats.py test_encode_canonical
    assertThat(canonical("\"\"")).isEqualTo("\"\"");
    assertThat(canonical("[1, 2, 3]")).isEqualTo("[1,2,3]");
    assertThat(canonical("[]")).isEqualTo("[]");
    assertThat(canonical("{}")).isEqualTo("{}");
    assertThat(canonical("{\"A\": [99]}")).isEqualTo("{\"A\":[99]}");
    assertThat(canonical("{\"A\": true}")).isEqualTo("{\"A\":true}");
    assertThat(canonical("{\"B\": false}")).isEqualTo("{\"B\":false}");
    assertThat(canonical("{\"y\": 2, \"x\": 3}")).isEqualTo("{\"x\":3,\"y\":2}");
    assertThat(canonical("{\"x\": 3, \"y\": null}")).isEqualTo("{\"x\":3,\"y\":null}");
    assertThat(canonical("\"\\\"\"")).isEqualTo("\"\\\"\"");
    assertThat(canonical("\"\\\\\"")).isEqualTo("\"\\\\\"");
    assertThat(canonical("\"\\\\\\\"\"")).isEqualTo("\"\\\\\\\"\"");
  }

  @Test
  void writesControlCharactersLiterally() {
    // securesystemslib: every chr(0x00..0x1f) encodes to a 3-byte string
    for (int c = 0; c < 0x20; c++) {
      String escaped = String.format("\"\\u%04x\"", c);
      assertThat(
              CanonicalJson.encode(
                  Json.parseObject(
                          ("{\"v\":" + escaped + "}").getBytes(StandardCharsets.UTF_8), "t")
                      .get("v")))
          .containsExactly('"', c, '"');
    }
  }

  @Test
  void matchesTufJsCanonicalizeOnNestedUnicode() {
    // Computed with tuf-js's @tufjs/canonical-json canonicalize().
    String input =
        "{\"b\":[1,\"\u00e9\\\"\\\\\\n\",null,true],\"a\":{\"z\":-5,\"y\":false},\"\u00e9\":0,\"Z\":\"\"}";
    assertThat(canonical(input))
        .isEqualTo(
            "{\"Z\":\"\",\"a\":{\"y\":false,\"z\":-5},\"b\":[1,\"\u00e9\\\"\\\\\n\",null,true],\"\u00e9\":0}");
  }

  @Test
  void rejectsFloats() {
    assertThatThrownBy(() -> canonical("8.0"))
        .isInstanceOfSatisfying(
            TufException.class, e -> assertThat(e.kind()).isEqualTo(TufException.Kind.MALFORMED));
    assertThatThrownBy(() -> canonical("{\"x\": 8.0}")).isInstanceOf(TufException.class);
  }

  @Test
  void sortsKeysByCodePointNotUtf16Unit() {
    // U+1F600 (surrogates D83D DE00) sorts after U+FFFD by code point, before it by UTF-16 unit.
    assertThat(canonical("{\"\ud83d\ude00\":1,\"\ufffd\":2}"))
        .isEqualTo("{\"\ufffd\":2,\"\ud83d\ude00\":1}");
  }
}
