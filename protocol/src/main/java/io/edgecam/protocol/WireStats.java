package io.edgecam.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Bytes a candidate costs: its CBOR payload and the MQTT 5 PUBLISH packet that carries it. Backs
 * {@code ./edgecam bench wire}. Thread-safe (stateless).
 */
public final class WireStats {
  /** Largest MQTT Remaining Length (a 4-byte variable byte integer). */
  public static final int MAX_REMAINING_LENGTH = 268_435_455;

  private static final String SITE = "site-01";

  private WireStats() {}

  /**
   * Size of one candidate on the wire.
   *
   * @param topic the PUBLISH topic name
   * @param dimensions embedding dimensions
   * @param payloadBytes CBOR payload size
   * @param publishPacketBytes whole MQTT 5 PUBLISH packet (QoS 1, no properties) carrying it
   */
  public record WireSize(String topic, int dimensions, int payloadBytes, int publishPacketBytes) {
    /** One JSON object with the record's fields, e.g. for {@code bench wire --json}. */
    public String toJson() {
      return new String(JsonMessages.encode(this), StandardCharsets.UTF_8);
    }
  }

  /**
   * Measures a representative candidate: device {@code cam-0001} at site {@code site-01}, model
   * {@code mfn-1.0.24} (the short tag the agent sends, from the embedder manifest), a year of
   * uptime (sequence 31,536,000, track 70,000), a face in a 1080p frame, and a seeded random unit
   * embedding of {@code dimensions}.
   */
  public static WireSize representative(int dimensions) {
    Candidate c =
        new Candidate(
            "cam-0001",
            31_536_000L,
            1_767_225_600_123L,
            70_000,
            873,
            new Box(1_412, 655, 118, 131),
            "mfn-1.0.24",
            Int8Embedding.quantize(unitVector(new Random(42), dimensions)));
    return measure(SITE, c);
  }

  /** Measures {@code candidate} published at QoS 1 on its candidates topic under {@code site}. */
  public static WireSize measure(String site, Candidate candidate) {
    String topic = Topics.candidates(site, candidate.device());
    int payload = CandidateCodec.encode(candidate).length;
    return new WireSize(
        topic,
        candidate.embedding().dimensions(),
        payload,
        publishPacketBytes(topic.getBytes(StandardCharsets.UTF_8).length, payload, 1, 0));
  }

  /**
   * Size of an MQTT 5 PUBLISH packet (MQTT 5.0 section 3.3): fixed header byte + Remaining Length
   * as a variable byte integer + topic name (2-byte length + UTF-8) + packet identifier (2 bytes,
   * QoS 1 and 2 only) + properties length (variable byte integer) + properties + payload.
   *
   * @param topicBytes UTF-8 length of the topic name (0 with a topic alias)
   * @param payloadBytes payload length
   * @param qos 0, 1 or 2
   * @param propertyBytes total length of the PUBLISH properties (0 for none)
   * @throws IllegalArgumentException if a value is out of range or the packet exceeds MQTT's limit
   */
  public static int publishPacketBytes(
      int topicBytes, int payloadBytes, int qos, int propertyBytes) {
    if (topicBytes < 0 || topicBytes > 65_535) {
      throw new IllegalArgumentException("topicBytes must be in 0..65535, was " + topicBytes);
    }
    if (payloadBytes < 0 || propertyBytes < 0 || qos < 0 || qos > 2) {
      throw new IllegalArgumentException(
          "need payloadBytes >= 0, propertyBytes >= 0, qos 0..2, was "
              + payloadBytes
              + ", "
              + propertyBytes
              + ", "
              + qos);
    }
    long remaining =
        2L
            + topicBytes
            + (qos > 0 ? 2 : 0)
            + variableByteIntegerSize(propertyBytes)
            + propertyBytes
            + payloadBytes;
    if (remaining > MAX_REMAINING_LENGTH) {
      throw new IllegalArgumentException(
          "PUBLISH remaining length " + remaining + " exceeds " + MAX_REMAINING_LENGTH);
    }
    return (int) (1 + variableByteIntegerSize((int) remaining) + remaining);
  }

  /**
   * Bytes of an MQTT variable byte integer (7 bits per byte): 1 below 128, 2 below 16,384, 3 below
   * 2,097,152, else 4.
   *
   * @throws IllegalArgumentException outside 0..{@value #MAX_REMAINING_LENGTH}
   */
  public static int variableByteIntegerSize(int value) {
    if (value < 0 || value > MAX_REMAINING_LENGTH) {
      throw new IllegalArgumentException(
          "variable byte integer must be in 0.." + MAX_REMAINING_LENGTH + ", was " + value);
    }
    return value < 128 ? 1 : value < 16_384 ? 2 : value < 2_097_152 ? 3 : 4;
  }

  private static float[] unitVector(Random random, int dimensions) {
    float[] v = new float[dimensions];
    double norm = 0;
    for (int i = 0; i < dimensions; i++) {
      v[i] = (float) random.nextGaussian();
      norm += v[i] * v[i];
    }
    float inv = (float) (1.0 / Math.sqrt(norm));
    for (int i = 0; i < dimensions; i++) {
      v[i] *= inv;
    }
    return v;
  }
}
