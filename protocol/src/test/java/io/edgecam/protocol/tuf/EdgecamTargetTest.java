package io.edgecam.protocol.tuf;

import static io.edgecam.protocol.tuf.TufFixture.rejects;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The edgecam custom metadata of TUF targets: strict parsing, rollout draw, the device rule. */
class EdgecamTargetTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SHA = "a".repeat(64);

  static JsonNode manifest() throws Exception {
    return JSON.readTree(
        """
        {"name":"blazeface-short-range","kind":"detector","version":"0.4","precision":"float",
         "file":"blazeface-short-range.tflite","sha256":"%s","size":229746,"license":"Apache-2.0",
         "inputs":[{"name":"input","shape":[1,128,128,3],"dtype":"float32"}],
         "outputs":[{"name":"regressors","shape":[1,896,16],"dtype":"float32"},
                    {"name":"classificators","shape":[1,896,1],"dtype":"float32"}],
         "anchors":{"inputSize":128,"strides":[8,16],"anchorsPerCell":[2,6]},
         "agreementWithFloat":{"scoreDeltaMedian":0.0073}}"""
            .formatted(SHA));
  }

  static EdgecamTarget model(long version, EdgecamTarget.Rollout rollout) throws Exception {
    EdgecamTarget.SelfTest st =
        new EdgecamTarget.SelfTest(
            "models/blazeface-short-range-v" + version + ".golden.jpg",
            1,
            new float[] {0.6f, -0.8f, 1e-7f},
            0.95);
    return new EdgecamTarget(
        EdgecamTarget.Kind.MODEL,
        "blazeface-short-range",
        version,
        rollout,
        EdgecamTarget.ModelInfo.of(manifest(), "0.1.0", st));
  }

  @Test
  void modelTargetRoundTripsThroughCanonicalJson() throws Exception {
    EdgecamTarget t = model(2, new EdgecamTarget.Rollout(List.of("cam-1"), 10, "s"));
    byte[] canonical = CanonicalJson.encode(t.toCustom()); // no floats anywhere
    EdgecamTarget back =
        EdgecamTarget.parse("models/x.tflite", JSON.readTree(canonical)).orElseThrow();
    assertThat(back).isEqualTo(t);
    assertThat(back.model().selfTest().embedding()).containsExactly(0.6f, -0.8f, 1e-7f);
    assertThat(back.model().selfTest().minCosine()).isEqualTo(0.95);
    assertThat(back.model().inputs().get(0).shape()).containsExactly(1, 128, 128, 3);
    assertThat(back.model().outputs()).hasSize(2);
    assertThat(back.model().manifest().has("agreementWithFloat")).isFalse(); // floats dropped
    assertThat(back.statusKey()).isEqualTo("model.blazeface-short-range");
  }

  @Test
  void watchlistTargetWithoutRolloutIsForEveryone() throws Exception {
    JsonNode custom =
        JSON.readTree(
            "{\"edgecam\":{\"kind\":\"watchlist\",\"name\":\"mfn-1.0.24\",\"version\":3}}");
    EdgecamTarget t = EdgecamTarget.parse("watchlist/w.cbor", custom).orElseThrow();
    assertThat(t.includes("any-device")).isTrue();
    assertThat(t.statusKey()).isEqualTo("watchlist");
    assertThat(EdgecamTarget.parse("p", JSON.readTree("{\"other\":1}"))).isEmpty();
  }

  @Test
  void rejectsInvalidMetadataNamingPathAndKey() throws Exception {
    String base = "{\"edgecam\":{\"kind\":\"watchlist\",\"name\":\"w\",\"version\":1%s}}";
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put(
        ",\"rollout\":{\"percentage\":5}", "custom.edgecam.rollout has unknown key 'percentage'");
    cases.put(",\"rollout\":{\"percent\":101}", "custom.edgecam.rollout.percent must be in 0..100");
    cases.put(",\"rollout\":{\"percent\":\"5\"}", "rollout.percent must be an integer");
    cases.put(",\"rollout\":{\"devices\":[\"a/b\"]}", "rollout.devices holds an invalid device id");
    cases.put(",\"extra\":true", "custom.edgecam has unknown key 'extra'");
    cases.put(",\"model\":{}", "model is only allowed for kind model");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      JsonNode custom = JSON.readTree(base.formatted(c.getKey()));
      rejects(TufException.Kind.MALFORMED, () -> EdgecamTarget.parse("watchlist/w.cbor", custom))
          .contains("target watchlist/w.cbor")
          .contains(c.getValue());
    }
    rejects(
            TufException.Kind.MALFORMED,
            () ->
                EdgecamTarget.parse(
                    "m",
                    JSON.readTree(
                        "{\"edgecam\":{\"kind\":\"plugin\",\"name\":\"w\",\"version\":1}}")))
        .contains("kind must be watchlist or model, was 'plugin'");
    rejects(
            TufException.Kind.MALFORMED,
            () ->
                EdgecamTarget.parse(
                    "m",
                    JSON.readTree(
                        "{\"edgecam\":{\"kind\":\"model\",\"name\":\"w\",\"version\":1}}")))
        .contains("custom.edgecam.model is missing");
  }

  @Test
  void rejectsABadSelfTest() throws Exception {
    ObjectNode custom = model(2, null).toCustom();
    ObjectNode st = (ObjectNode) custom.get("edgecam").get("model").get("selfTest");
    st.put("dimensions", 4);
    rejects(TufException.Kind.MALFORMED, () -> EdgecamTarget.parse("m", custom))
        .contains("selfTest.embedding holds 12 bytes, expected 4 float32 values");
    st.put("dimensions", 3);
    st.put("minCosine", "high");
    rejects(TufException.Kind.MALFORMED, () -> EdgecamTarget.parse("m", custom))
        .contains("minCosine must be a decimal string");
    st.put("minCosine", "0.9");
    ((ObjectNode) custom.get("edgecam").get("model").get("manifest")).put("sha256", "xyz");
    rejects(TufException.Kind.MALFORMED, () -> EdgecamTarget.parse("m", custom))
        .contains("manifest.sha256 must be 64 lowercase hex digits");
  }

  @Test
  void percentDrawIsDeterministicRoughlyFairAndOnlyGrows() {
    int in10 = 0;
    for (int i = 0; i < 2000; i++) {
      String device = "cam-" + i;
      EdgecamTarget.Rollout r10 = new EdgecamTarget.Rollout(List.of(), 10, "seed");
      EdgecamTarget.Rollout r50 = new EdgecamTarget.Rollout(List.of(), 50, "seed");
      if (r10.includes(device)) {
        in10++;
        assertThat(r50.includes(device)).as("raising the percent keeps %s", device).isTrue();
      }
      assertThat(new EdgecamTarget.Rollout(List.of(), 100, "seed").includes(device)).isTrue();
      assertThat(new EdgecamTarget.Rollout(List.of(), 0, "seed").includes(device)).isFalse();
    }
    assertThat(in10).isBetween(140, 260);
    // sha256("s:cam-1") = 3d5f...: first 8 bytes unsigned mod 100, computed independently
    assertThat(EdgecamTarget.Rollout.bucket("s", "cam-1"))
        .isEqualTo(
            new java.math.BigInteger(1, java.util.Arrays.copyOf(sha256("s:cam-1"), 8))
                .mod(java.math.BigInteger.valueOf(100))
                .intValue());
    assertThat(new EdgecamTarget.Rollout(List.of("cam-x"), 0, "s").includes("cam-x")).isTrue();
  }

  private static byte[] sha256(String s) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256")
          .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void deviceUsesTheHighestVersionItIsEligibleFor() throws Exception {
    Map<String, TargetFile> targets = new LinkedHashMap<>();
    targets.put("models/m-v1.tflite", file(model(1, null)));
    targets.put(
        "models/m-v2.tflite", file(model(2, new EdgecamTarget.Rollout(List.of("canary"), 0, ""))));
    targets.put("models/m-v1.golden.jpg", TargetFile.of(new byte[] {1}, JSON.missingNode()));
    assertThat(
            EdgecamTarget.select(
                    targets, EdgecamTarget.Kind.MODEL, "blazeface-short-range", "canary")
                .orElseThrow()
                .path())
        .isEqualTo("models/m-v2.tflite");
    assertThat(
            EdgecamTarget.select(
                    targets, EdgecamTarget.Kind.MODEL, "blazeface-short-range", "other")
                .orElseThrow()
                .target()
                .version())
        .isEqualTo(1);
    assertThat(EdgecamTarget.select(targets, EdgecamTarget.Kind.MODEL, "embedder", "other"))
        .isEmpty();
  }

  @Test
  void listsTheTargetsOfADelegatedRoleForTheDevice() {
    TufFixture given = new TufFixture();
    TufUpdater updater = given.updater();
    updater.refresh();
    assertThat(updater.targetsOf("models")).containsOnlyKeys(TufFixture.MODEL_PATH);
    assertThat(updater.targetsOf("watchlist")).containsOnlyKeys(TufFixture.BUNDLE_PATH);
    rejects(TufException.Kind.UNKNOWN_TARGET, () -> updater.targetsOf("plugins"));
  }

  @Test
  void comparesDottedVersions() throws Exception {
    assertThat(EdgecamTarget.compareVersions("0.1.0-SNAPSHOT", "0.1.0")).isZero();
    assertThat(EdgecamTarget.compareVersions("0.10", "0.9.9")).isPositive();
    assertThat(EdgecamTarget.compareVersions("1", "1.0.1")).isNegative();
    assertThat(model(1, null).model().supportsAgent("0.0.9")).isFalse();
    assertThat(model(1, null).model().supportsAgent("0.1.0-SNAPSHOT")).isTrue();
    assertThatThrownBy(() -> EdgecamTarget.compareVersions("one", "1"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static TargetFile file(EdgecamTarget t) {
    return TargetFile.of(new byte[] {(byte) t.version()}, t.toCustom());
  }
}
