package io.edgecam.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WireStatsTest {

  @Test
  void variableByteIntegerSizesFollowMqttBoundaries() {
    assertThat(WireStats.variableByteIntegerSize(0)).isEqualTo(1);
    assertThat(WireStats.variableByteIntegerSize(127)).isEqualTo(1);
    assertThat(WireStats.variableByteIntegerSize(128)).isEqualTo(2);
    assertThat(WireStats.variableByteIntegerSize(16_383)).isEqualTo(2);
    assertThat(WireStats.variableByteIntegerSize(16_384)).isEqualTo(3);
    assertThat(WireStats.variableByteIntegerSize(2_097_151)).isEqualTo(3);
    assertThat(WireStats.variableByteIntegerSize(2_097_152)).isEqualTo(4);
    assertThat(WireStats.variableByteIntegerSize(268_435_455)).isEqualTo(4);
    assertThatThrownBy(() -> WireStats.variableByteIntegerSize(268_435_456))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WireStats.variableByteIntegerSize(-1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void publishPacketAddsHeaderTopicPacketIdAndProperties() {
    // MQTT 5.0 3.3: 'a/b' QoS 0, no properties, 2-byte payload:
    // 0x30 | RL=8 | 0x00 0x03 'a' '/' 'b' | props 0x00 | payload 2 -> 10 bytes.
    assertThat(WireStats.publishPacketBytes(3, 2, 0, 0)).isEqualTo(10);
    // QoS 1 adds the 2-byte packet identifier.
    assertThat(WireStats.publishPacketBytes(3, 2, 1, 0)).isEqualTo(12);
    // Remaining length 127 -> 1 byte, 128 -> 2 bytes.
    assertThat(WireStats.publishPacketBytes(0, 124, 0, 0)).isEqualTo(1 + 1 + 127);
    assertThat(WireStats.publishPacketBytes(0, 125, 0, 0)).isEqualTo(1 + 2 + 128);
    // A 130-byte property block needs a 2-byte properties length.
    assertThat(WireStats.publishPacketBytes(3, 2, 1, 130))
        .isEqualTo(1 + 2 + 2 + 3 + 2 + 2 + 130 + 2);
  }

  @Test
  void rejectsPacketsBeyondMqttLimits() {
    assertThatThrownBy(() -> WireStats.publishPacketBytes(65_536, 0, 1, 0))
        .hasMessageContaining("topicBytes");
    assertThatThrownBy(() -> WireStats.publishPacketBytes(10, 268_435_455, 1, 0))
        .hasMessageContaining("exceeds 268435455");
    assertThatThrownBy(() -> WireStats.publishPacketBytes(10, 10, 3, 0))
        .hasMessageContaining("qos");
  }

  @Test
  void representative192dCandidateOnTheWire() {
    WireStats.WireSize size = WireStats.representative(192);
    System.out.println("bench wire: " + size.toJson());
    assertThat(size.topic()).isEqualTo("edgecam/v1/site-01/cam-0001/candidates");
    assertThat(size.dimensions()).isEqualTo(192);
    // Fixtures use the long tag "mobilefacenet@1.0.24"; the agent sends "mfn-1.0.24", 10 bytes
    // less.
    assertThat(size.payloadBytes())
        .isEqualTo(CandidateCodec.encode(Fixtures.candidate()).length - 10);
    assertThat(size.payloadBytes()).isLessThanOrEqualTo(256);
    // 1 fixed header + 2 remaining length + (2 + 38 topic) + 2 packet id + 1 properties + payload
    assertThat(size.publishPacketBytes()).isEqualTo(1 + 2 + 2 + 38 + 2 + 1 + size.payloadBytes());
    assertThat(size.toJson())
        .isEqualTo(
            "{\"topic\":\"edgecam/v1/site-01/cam-0001/candidates\",\"dimensions\":192,"
                + "\"payloadBytes\":"
                + size.payloadBytes()
                + ",\"publishPacketBytes\":"
                + size.publishPacketBytes()
                + "}");
  }
}
