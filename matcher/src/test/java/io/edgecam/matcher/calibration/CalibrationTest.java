package io.edgecam.matcher.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CalibrationTest {
  private static final String ZEROS = "0,".repeat(ScoreTail.POINTS - 1) + "0";

  private static String manifest(String calibration) {
    return "{\"name\": \"m\", \"tag\": \"mfn-x\", \"kind\": \"embedder\"" + calibration + "}";
  }

  private static Calibration parse(String json) {
    return Calibration.parse(json.getBytes(StandardCharsets.UTF_8), "models/m.json");
  }

  private static String valid() {
    return ", \"calibration\": {\"images\": \"faces\", \"produced\": \"test\","
        + " \"impostorPairs\": 5, \"impostorAtOrAbove\": [5,"
        + "3,".repeat(ScoreTail.POINTS - 2)
        + "0], \"genuinePairs\": 2, \"genuineBelow\": ["
        + ZEROS.substring(0, ZEROS.length() - 1)
        + "2]}";
  }

  @Test
  void readsTheShippedManifests() {
    Path models = Path.of(System.getProperty("edgecam.root", "..")).resolve("models");
    for (String name : new String[] {"mobilefacenet.json", "mobilefacenet-int8.json"}) {
      Calibration c = Calibration.read(models.resolve(name));
      assertThat(c.modelTag()).isEqualTo("mfn-1.0.24");
      assertThat(c.impostors().pairs()).isGreaterThan(1_000);
      assertThat(c.genuinePairs()).isGreaterThan(100);
      assertThat(c.impostors().atOrAbove(0)).isLessThanOrEqualTo(c.impostors().pairs());
    }
  }

  @Test
  void parsesCountsAndMissRate() {
    Calibration c = parse(manifest(valid()));
    assertThat(c.modelTag()).isEqualTo("mfn-x");
    assertThat(c.impostors().pairs()).isEqualTo(5);
    assertThat(c.impostors().atOrAbove(1)).isEqualTo(3);
    assertThat(c.impostors().atOrAbove(100)).isZero();
    assertThat(c.fnmr(99)).isZero();
    assertThat(c.fnmr(100)).isEqualTo(1.0);
  }

  @Test
  void roundTripsThroughTheManifestForm() {
    Calibration c = parse(manifest(valid()));
    String json = manifest(", \"calibration\": " + c.toJson());
    assertThat(parse(json)).isEqualTo(c);
  }

  @Test
  void missingCalibrationNamesTheFileAndTheCommand() {
    assertThatThrownBy(() -> parse(manifest("")))
        .isInstanceOf(CalibrationException.class)
        .hasMessageContaining("models/m.json: no calibration object")
        .hasMessageContaining("edgecam model calibrate");
  }

  @Test
  void shortCountArrayNamesTheField() {
    assertThatThrownBy(() -> parse(manifest(valid().replace("[5,", "[5,1,1],\"x\":["))))
        .isInstanceOf(CalibrationException.class)
        .hasMessageContaining(
            "models/m.json: calibration.impostorAtOrAbove must be an array of 101")
        .hasMessageContaining("was 3 values");
  }

  @Test
  void risingImpostorCountsAreRejected() {
    assertThatThrownBy(
            () -> parse(manifest(valid().replace("[5,3,", "[5,3,4,").replace(",0],", "],"))))
        .isInstanceOf(CalibrationException.class)
        .hasMessageContaining("calibration.impostorAtOrAbove")
        .hasMessageContaining("must not increase");
  }

  @Test
  void countAbovePairsIsRejected() {
    assertThatThrownBy(
            () -> parse(manifest(valid().replace("\"impostorPairs\": 5", "\"impostorPairs\": 4"))))
        .isInstanceOf(CalibrationException.class)
        .hasMessageContaining("must be in 0..4, was 5");
  }

  @Test
  void negativePairCountIsRejected() {
    assertThatThrownBy(
            () -> parse(manifest(valid().replace("\"genuinePairs\": 2", "\"genuinePairs\": -2"))))
        .isInstanceOf(CalibrationException.class)
        .hasMessageContaining("calibration.genuinePairs must be a count >= 0, was -2");
  }

  @Test
  void notJsonNamesTheFile() {
    assertThatThrownBy(() -> parse("{oops"))
        .isInstanceOf(CalibrationException.class)
        .hasMessageStartingWith("models/m.json: not JSON");
  }
}
