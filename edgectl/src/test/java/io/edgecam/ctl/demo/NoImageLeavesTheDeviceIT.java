package io.edgecam.ctl.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgecam.ctl.EdgecamCli;
import io.edgecam.protocol.CandidateCodec;
import io.edgecam.protocol.CandidatePayload;
import io.edgecam.protocol.JsonMessages;
import io.edgecam.protocol.SealedCandidate;
import io.edgecam.protocol.Topics;
import io.edgecam.testing.MosquittoProcess;
import io.edgecam.testing.WireTap;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * No image ever leaves the device: everything published on a real Mosquitto during two demo runs
 * (plain and sealed; real agent, TFLite, sample photos) is captured with a subscription to {@code
 * #} and checked. Every payload is one of the documented message types for its topic, none is or
 * hides an image, and none exceeds its size limit (docs/protocol.md section 10):
 *
 * <ul>
 *   <li>candidate: 256 bytes plain, 320 sealed (the largest a 192-d candidate of the demo's
 *       10-character device id and model tag can be);
 *   <li>status: 4,096 bytes; event: 1,024 bytes; alert (matcher): 1,024 bytes;
 *   <li>any JSON string value: 256 characters, so no encoded image fits in a text field.
 * </ul>
 */
class NoImageLeavesTheDeviceIT {
  static final int MAX_PLAIN_CANDIDATE = 256;
  static final int MAX_SEALED_CANDIDATE = 320;
  static final int MAX_STATUS = 4096;
  static final int MAX_EVENT = 1024;
  static final int MAX_ALERT = 1024;
  static final int MAX_JSON_STRING = 256;
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everythingTheAgentPublishesIsADocumentedMessageAndNoneIsAnImage(@TempDir Path dir)
      throws Exception {
    try (MosquittoProcess mosquitto = MosquittoProcess.start(dir.resolve("mosquitto"));
        WireTap tap = new WireTap(mosquitto.url(), "#")) {
      JsonNode plain = demo("--broker", mosquitto.url());
      JsonNode sealed = demo("--broker", mosquitto.url(), "--sealed");
      long candidates = plain.get("candidates").asLong() + sealed.get("candidates").asLong();
      long alerts = plain.get("alerts").asLong() + sealed.get("alerts").asLong();
      assertThat(plain.get("alerts").asLong()).isEqualTo(plain.get("expected_alerts").asLong());
      assertThat(sealed.get("alerts").asLong()).isEqualTo(sealed.get("expected_alerts").asLong());
      // Each run's device ends with its retained offline status; wait for both, and all the rest.
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  tap.ofKind("candidates").size() == candidates
                      && tap.ofKind("alerts").size() == alerts
                      && offlineStatuses(tap) == 2);

      Map<String, Integer> byKind = new HashMap<>();
      Map<String, Integer> largest = new HashMap<>();
      List<String> sealedDevices = new ArrayList<>();
      for (WireTap.Message m : tap.messages) {
        byte[] p = m.payload();
        assertNotAnImage(m);
        String kind;
        if (m.topic().equals(Topics.ALERTS)) {
          kind = "alert";
          assertThat(p).as("alert size").hasSizeLessThanOrEqualTo(MAX_ALERT);
          JsonMessages.decodeAlert(p);
          assertShortJsonStrings(m);
        } else if (m.topic().startsWith(Topics.MATCHERS + "/")) {
          // The matcher's retained status: its operating point, no device data; empty when a
          // stopping matcher clears it.
          kind = "matcher-status";
          assertThat(p).as("matcher status size").hasSizeLessThanOrEqualTo(MAX_STATUS);
          if (p.length > 0) {
            assertThat(new ObjectMapper().readTree(p).has("operatingPoint")).isTrue();
            assertShortJsonStrings(m);
          }
        } else {
          Topics.DeviceTopic t = Topics.parseDeviceTopic(m.topic());
          kind = t.kind();
          switch (kind) {
            case "candidates" -> {
              CandidatePayload c = CandidateCodec.decodeAny(p);
              assertThat(c.device()).isEqualTo(t.device());
              if (c instanceof SealedCandidate) {
                sealedDevices.add(t.device());
                assertThat(p)
                    .as("sealed candidate size")
                    .hasSizeLessThanOrEqualTo(MAX_SEALED_CANDIDATE);
              } else {
                assertThat(p).as("candidate size").hasSizeLessThanOrEqualTo(MAX_PLAIN_CANDIDATE);
              }
            }
            case "status" -> {
              assertThat(p).as("status size").hasSizeLessThanOrEqualTo(MAX_STATUS);
              assertThat(JsonMessages.decodeStatus(p).device()).isEqualTo(t.device());
              assertShortJsonStrings(m);
            }
            case "events" -> {
              assertThat(p).as("event size").hasSizeLessThanOrEqualTo(MAX_EVENT);
              assertThat(JsonMessages.decodeEvent(p).device()).isEqualTo(t.device());
              assertShortJsonStrings(m);
            }
            default -> throw new AssertionError("undocumented topic " + m.topic());
          }
        }
        byKind.merge(kind, 1, Integer::sum);
        largest.merge(kind, p.length, Math::max);
      }
      System.out.println("captured " + byKind + ", largest payload bytes " + largest);
      // Both runs were seen: plain candidates from one device, sealed ones from the other.
      assertThat(byKind.get("candidates")).isEqualTo((int) candidates);
      assertThat(byKind.get("alert")).isEqualTo((int) alerts);
      assertThat(byKind.get("status")).isGreaterThanOrEqualTo(4); // online + offline, 2 devices
      assertThat(sealedDevices).hasSize(sealed.get("candidates").asInt());
      assertThat(sealedDevices.stream().distinct().count()).isEqualTo(1);
    }
  }

  @Test
  void theImageChecksRecogniseTheSamplePhotos() throws Exception {
    // The checks above can fail: the camera's own photos are caught by both of them.
    java.nio.file.Path home = io.edgecam.ctl.Home.locate();
    DemoSamples set = DemoSamples.load(home, home.resolve("models/cache/samples"));
    for (java.nio.file.Path photo : set.camera()) {
      byte[] b = java.nio.file.Files.readAllBytes(photo);
      assertThat(imageMagic(b)).as("%s", photo).isIn("JPEG", "PNG");
      assertThat(ImageIO.read(new ByteArrayInputStream(b))).as("%s", photo).isNotNull();
      String base64 = Base64.getEncoder().encodeToString(b);
      assertThat(imageMagic(Base64.getDecoder().decode(base64))).isNotNull();
    }
  }

  private static long offlineStatuses(WireTap tap) {
    return tap.ofKind("status").stream()
        .filter(m -> JsonMessages.decodeStatus(m.payload()).state().equals("offline"))
        .count();
  }

  /** No image signature at the start, and no ImageIO reader accepts the bytes. */
  private static void assertNotAnImage(WireTap.Message m) throws IOException {
    byte[] p = m.payload();
    assertThat(imageMagic(p)).as("image signature in %s", m.topic()).isNull();
    assertThat(ImageIO.read(new ByteArrayInputStream(p)))
        .as("ImageIO decodes the payload of %s", m.topic())
        .isNull();
  }

  /** Every string value of a JSON payload is short, and none is a base64 image. */
  private static void assertShortJsonStrings(WireTap.Message m) throws IOException {
    List<String> strings = new ArrayList<>();
    collectStrings(JSON.readTree(m.payload()), strings);
    for (String s : strings) {
      assertThat(s.length()).as("string in %s", m.topic()).isLessThanOrEqualTo(MAX_JSON_STRING);
      try {
        assertThat(imageMagic(Base64.getDecoder().decode(s)))
            .as("base64 image in %s", m.topic())
            .isNull();
      } catch (IllegalArgumentException notBase64) {
        // not base64: fine
      }
    }
  }

  private static void collectStrings(JsonNode n, List<String> out) {
    if (n.isTextual()) {
      out.add(n.asText());
    }
    n.fieldNames().forEachRemaining(out::add);
    n.elements().forEachRemaining(c -> collectStrings(c, out));
  }

  /** The format whose file signature {@code b} starts with, or null. */
  static String imageMagic(byte[] b) {
    if (startsWith(b, 0xff, 0xd8, 0xff)) {
      return "JPEG";
    }
    if (startsWith(b, 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a)) {
      return "PNG";
    }
    if (startsWith(b, 'G', 'I', 'F', '8')) {
      return "GIF";
    }
    if (startsWith(b, 'B', 'M')) {
      return "BMP";
    }
    if (startsWith(b, 'R', 'I', 'F', 'F') && b.length >= 12 && b[8] == 'W' && b[9] == 'E') {
      return "WebP";
    }
    return null;
  }

  private static boolean startsWith(byte[] b, int... prefix) {
    if (b.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if ((b[i] & 0xff) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static JsonNode demo(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("demo", "--json"));
    all.addAll(List.of(args));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = EdgecamCli.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(all.toArray(String[]::new));
    assertThat(code).as("exit code; stderr:%n%s", err).isZero();
    return JSON.readTree(out.toString());
  }
}
