package io.edgecam.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonMessagesTest {

  static final Status STATUS =
      new Status(
          1,
          "cam-0001",
          "site-01",
          Status.ONLINE,
          1_767_225_600_000L,
          Map.of("agent", "0.1.0", "model", "mobilefacenet@1.0.24"),
          Map.of("camera", Health.ok(), "broker", Health.degraded("reconnecting")),
          Map.of("frames", 1200L, "candidates", 31L));
  static final DeviceEvent EVENT =
      new DeviceEvent(
          1, "cam-0001", 1_767_225_600_000L, "update.applied", Map.of("target", "watchlist-42"));
  static final Alert ALERT =
      new Alert(
          1,
          "a-1",
          "site-01",
          "cam-0001",
          31_536_000L,
          1_767_225_600_123L,
          1_767_225_600_150L,
          "w-7",
          "Person 7",
          0.71,
          0.55,
          70_000,
          new Box(1412, 655, 118, 131),
          0.32,
          0.39,
          0.004);

  private static byte[] json(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(Object message) {
    return new String(JsonMessages.encode(message), StandardCharsets.UTF_8);
  }

  // ---- round trips and leniency ----

  @Test
  void roundTripsEveryMessage() {
    assertThat(JsonMessages.decodeStatus(JsonMessages.encode(STATUS))).isEqualTo(STATUS);
    assertThat(JsonMessages.decodeEvent(JsonMessages.encode(EVENT))).isEqualTo(EVENT);
    assertThat(JsonMessages.decodeAlert(JsonMessages.encode(ALERT))).isEqualTo(ALERT);
    Status offline = Status.offline("site-01", "cam-0001", 5);
    assertThat(JsonMessages.decodeStatus(JsonMessages.encode(offline))).isEqualTo(offline);
  }

  @Test
  void encodesTheDocumentedExamplesWithSortedMapKeys() {
    // The examples in docs/protocol.md section 5, without the line breaks.
    assertThat(text(STATUS))
        .isEqualTo(
            "{\"v\":1,\"device\":\"cam-0001\",\"site\":\"site-01\",\"state\":\"online\","
                + "\"time\":1767225600000,"
                + "\"versions\":{\"agent\":\"0.1.0\",\"model\":\"mobilefacenet@1.0.24\"},"
                + "\"health\":{\"broker\":{\"state\":\"DEGRADED\",\"reason\":\"reconnecting\"},"
                + "\"camera\":{\"state\":\"OK\",\"reason\":\"\"}},"
                + "\"counters\":{\"candidates\":31,\"frames\":1200}}");
    assertThat(text(EVENT))
        .isEqualTo(
            "{\"v\":1,\"device\":\"cam-0001\",\"time\":1767225600000,\"type\":\"update.applied\","
                + "\"detail\":{\"target\":\"watchlist-42\"}}");
    assertThat(text(ALERT))
        .isEqualTo(
            "{\"v\":1,\"id\":\"a-1\",\"site\":\"site-01\",\"device\":\"cam-0001\","
                + "\"sequence\":31536000,\"captureTimeMillis\":1767225600123,"
                + "\"matchTimeMillis\":1767225600150,\"entryId\":\"w-7\",\"label\":\"Person 7\","
                + "\"score\":0.71,\"threshold\":0.55,\"trackId\":70000,"
                + "\"box\":{\"x\":1412,\"y\":655,\"width\":118,\"height\":131},"
                + "\"secondScore\":0.32,\"margin\":0.39,\"expectedFpir\":0.004}");
  }

  @Test
  void ignoresUnknownFieldsAtAnyLevel() {
    String s =
        text(STATUS)
            .replace("{\"v\":1,", "{\"v\":1,\"future\":{\"a\":[1,2,{\"b\":null}]},")
            .replace("\"state\":\"OK\"", "\"state\":\"OK\",\"since\":5");
    assertThat(JsonMessages.decodeStatus(json(s))).isEqualTo(STATUS);
  }

  // ---- rejection, with the precise reason ----

  @ParameterizedTest(name = "status {0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      v missing          | "v":1,                     | ''                          | v
      v 2                | "v":1                      | "v":2                       | unsupported version 2
      v as string        | "v":1                      | "v":"1"                     | field 'v'
      v as float         | "v":1                      | "v":1.0                     | field 'v'
      v null             | "v":1                      | "v":null                    | field 'v'
      device missing     | "device":"cam-0001",       | ''                          | device
      device null        | "device":"cam-0001"        | "device":null               | device
      device number      | "device":"cam-0001"        | "device":7                  | field 'device'
      device with slash  | "device":"cam-0001"        | "device":"cam/1"            | device must be 1-64 characters
      device unicode     | "device":"cam-0001"        | "device":"kamera-\\u00fc"   | device must be 1-64 characters
      device reserved    | "device":"cam-0001"        | "device":"targets"          | reserved ids
      state unknown      | "state":"online"           | "state":"sleeping"          | status state must be online or offline, was 'sleeping'
      time negative      | "time":1767225600000       | "time":-1                   | status time must be >= 0
      time float         | "time":1767225600000       | "time":1.5                  | field 'time'
      time huge          | "time":1767225600000       | "time":99999999999999999999 | field 'time'
      versions null      | "versions":{               | "versions":null,"x":{       | versions
      version value null | "agent":"0.1.0"            | "agent":null                | versions['agent'] must not be null
      health value null  | "camera":{"state":"OK","reason":""} | "camera":null      | health['camera'] must not be null
      health bad state   | "camera":{"state":"OK"     | "camera":{"state":"GREAT"   | field 'health.camera.state'
      health number      | "camera":{"state":"OK"     | "camera":{"state":0         | field 'health.camera.state'
      counter as string  | "frames":1200              | "frames":"1200"             | field 'counters.frames'
      counter null       | "frames":1200              | "frames":null               | counters['frames'] must not be null
      duplicate key      | "v":1,                     | "v":1,"v":1,                | Duplicate field 'v'
      """)
  void rejectsBadStatusWithPreciseReason(String name, String from, String to, String reason) {
    String s = text(STATUS);
    assertThat(s).contains(from);
    byte[] payload = json(s.replace(from, to));
    assertThatThrownBy(() -> JsonMessages.decodeStatus(payload))
        .isExactlyInstanceOf(MalformedMessageException.class)
        .hasMessageStartingWith("status: ")
        .hasMessageContaining(reason);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      empty             | ''                        | empty payload
      JSON null         | null                      | payload is JSON null
      array             | []                        | status:
      string            | '"online"'                | status:
      not JSON          | xyz                       | status:
      truncated         | '{"v":1,"device":"cam'    | status:
      trailing garbage  | '{} x'                    | status:
      invalid UTF-8     | '{"v":1,"device":"\u00ff'  | status:
      """)
  void rejectsNonStatusPayloads(String name, String payload, String reason) {
    assertThatThrownBy(() -> JsonMessages.decodeStatus(json(payload)))
        .isExactlyInstanceOf(MalformedMessageException.class)
        .hasMessageStartingWith("status: ")
        .hasMessageContaining(reason);
  }

  @Test
  void rejectsNullOversizedTrailingAndDeeplyNestedPayloads() {
    assertThatThrownBy(() -> JsonMessages.decodeStatus(null)).hasMessage("status: empty payload");
    byte[] big = new byte[JsonMessages.MAX_PAYLOAD_BYTES + 1];
    assertThatThrownBy(() -> JsonMessages.decodeEvent(big))
        .hasMessage("event: payload of 65537 bytes exceeds 65536");
    byte[] twice = json(text(EVENT) + text(EVENT));
    assertThatThrownBy(() -> JsonMessages.decodeEvent(twice))
        .isExactlyInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("Trailing token");
    String deep = "[".repeat(10_000) + "]".repeat(10_000);
    byte[] nested = json(text(EVENT).replace("{\"v\":1,", "{\"v\":1,\"x\":" + deep + ","));
    assertThatThrownBy(() -> JsonMessages.decodeEvent(nested))
        .isExactlyInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("nesting depth");
    String ok = "[".repeat(30) + "]".repeat(30);
    byte[] shallow = json(text(EVENT).replace("{\"v\":1,", "{\"v\":1,\"x\":" + ok + ","));
    assertThat(JsonMessages.decodeEvent(shallow)).isEqualTo(EVENT);
  }

  @ParameterizedTest(name = "event {0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      v 0             | "v":1                | "v":0                | unsupported version 0
      type missing    | "type":"update.applied", | ''                | type
      type blank      | "type":"update.applied"  | "type":"  "       | event type must be 1..64 characters
      detail null val | "target":"watchlist-42"  | "target":null     | detail['target'] must not be null
      detail nested   | "target":"watchlist-42"  | "target":{"a":1}  | field 'detail.target'
      detail number   | "target":"watchlist-42"  | "target":42       | field 'detail.target'
      """)
  void rejectsBadEventWithPreciseReason(String name, String from, String to, String reason) {
    String s = text(EVENT);
    assertThat(s).contains(from);
    byte[] payload = json(s.replace(from, to));
    assertThatThrownBy(() -> JsonMessages.decodeEvent(payload))
        .isExactlyInstanceOf(MalformedMessageException.class)
        .hasMessageStartingWith("event: ")
        .hasMessageContaining(reason);
  }

  @ParameterizedTest(name = "alert {0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      v 3              | "v":1              | "v":3                 | unsupported version 3
      box null         | "box":{            | "box":null,"b":{      | box
      box missing      | "box":{            | "b":{                 | box
      box x negative   | "x":1412           | "x":-1                | box coordinates must be in 0..65535
      box x float      | "x":1412           | "x":1412.5            | field 'box.x'
      score NaN        | "score":0.71       | "score":NaN           | Non-standard token 'NaN'
      score string     | "score":0.71       | "score":"0.71"        | field 'score'
      id empty         | "id":"a-1"         | "id":""               | alert id and entryId must not be empty
      label null       | "label":"Person 7" | "label":null          | label
      sequence neg     | "sequence":31536000 | "sequence":-5        | must be >= 0
      fpir above 1     | "expectedFpir":0.004 | "expectedFpir":1.5  | expectedFpir must be in [0, 1], was 1.5
      margin null      | "margin":0.39      | "margin":null         | margin
      """)
  void rejectsBadAlertWithPreciseReason(String name, String from, String to, String reason) {
    String s = text(ALERT);
    assertThat(s).contains(from);
    byte[] payload = json(s.replace(from, to));
    assertThatThrownBy(() -> JsonMessages.decodeAlert(payload))
        .isExactlyInstanceOf(MalformedMessageException.class)
        .hasMessageStartingWith("alert: ")
        .hasMessageContaining(reason.strip());
  }

  @Test
  void readsAnAlertOfAMatcherFromBeforeTheOperatingPointFigures() {
    String s =
        text(ALERT).replace(",\"secondScore\":0.32,\"margin\":0.39,\"expectedFpir\":0.004", "");
    assertThat(s).doesNotContain("secondScore").doesNotContain("expectedFpir");
    Alert a = JsonMessages.decodeAlert(json(s));
    assertThat(a.secondScore()).isEqualTo(Alert.NO_SECOND);
    assertThat(a.margin()).isEqualTo(a.score() - Alert.NO_SECOND);
    assertThat(a.expectedFpir()).as("unknown: bounded by 1 only").isEqualTo(1.0);
  }

  @Test
  void survivesRandomMutationsWithOnlyMalformedMessageException() {
    Random random = new Random(20_250_602L);
    List<Function<byte[], Object>> decoders =
        List.of(JsonMessages::decodeStatus, JsonMessages::decodeEvent, JsonMessages::decodeAlert);
    List<byte[]> seeds =
        List.of(
            JsonMessages.encode(STATUS), JsonMessages.encode(EVENT), JsonMessages.encode(ALERT));
    int valid = 0;
    for (int i = 0; i < 15_000; i++) {
      int k = i % 3;
      byte[] m = Mutator.mutate(random, seeds.get(k));
      try {
        decoders.get(k).apply(m);
        valid++;
      } catch (MalformedMessageException e) {
        assertThat(e.getMessage())
            .as("mutation %d: %s", i, new String(m, StandardCharsets.UTF_8))
            .doesNotContain("undecodable");
      }
    }
    System.out.println("json mutations: 15000, still valid: " + valid);
  }
}
