package io.edgecam.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgecam.face.image.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** detect / embed / compare / bench pipeline on real models and images, as a user runs them. */
class FaceCommandsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Path data;
  private static String models;

  @TempDir Path tmp;

  @BeforeAll
  static void locate() {
    data = TestData.sharedData();
    models = TestData.models().toString();
  }

  private static String img(String rel) {
    return data.resolve(rel).toString();
  }

  @Test
  void detectReportsFacesAndGoesOnPastBadFilesThenExitsOne() throws Exception {
    Path corrupt = Files.writeString(tmp.resolve("corrupt.jpg"), "not a jpeg");
    Path missing = tmp.resolve("missing.jpg");
    CliRun r =
        CliRun.run(
            new DetectCommand(),
            "--models",
            models,
            "--precision",
            "float",
            "--json",
            img("group/deepface_couple.jpg"),
            corrupt.toString(),
            missing.toString(),
            img("noface/coral_owl.jpg"));

    assertThat(r.exit()).isEqualTo(1);
    JsonNode images = JSON.readTree(r.out()).get("images");
    assertThat(images).hasSize(4);
    assertThat(images.get(0).get("faces")).hasSize(2);
    assertThat(images.get(0).get("faces").get(0).get("keypoints")).hasSize(6);
    assertThat(images.get(1).get("error").asText()).contains(corrupt.toString());
    assertThat(images.get(2).get("error").asText()).isEqualTo(missing + ": no such file");
    assertThat(images.get(3).get("faces")).isEmpty();
    assertThat(r.err())
        .contains(corrupt.toString())
        .contains(missing.toString())
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
  }

  @Test
  void detectWithNoFacesExitsZero() {
    CliRun r =
        CliRun.run(
            new DetectCommand(),
            "--models",
            models,
            "--precision",
            "float",
            img("noface/coral_hot_dog.jpg"));
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("0 face(s)");
  }

  @Test
  void usageErrorsExitTwo() {
    assertThat(CliRun.run(new DetectCommand()).exit()).isEqualTo(2);
    CliRun badPrecision = CliRun.run(new DetectCommand(), "--precision", "fp4", "x.jpg");
    assertThat(badPrecision.exit()).isEqualTo(2);
    assertThat(badPrecision.err()).contains("--precision").contains("fp4");
    CliRun badThreads = CliRun.run(new DetectCommand(), "--threads", "0", "x.jpg");
    assertThat(badThreads.exit()).isEqualTo(2);
    assertThat(badThreads.err()).contains("--threads must be in 1..64, was 0");
  }

  @Test
  void embedPrintsUnitVectorOrSaysNoFace() throws Exception {
    CliRun r =
        CliRun.run(
            new EmbedCommand(),
            "--models",
            models,
            "--precision",
            "float",
            "--json",
            img("faces/angelina_jolie/deepface_img2.jpg"));
    assertThat(r.exit()).isZero();
    JsonNode json = JSON.readTree(r.out());
    assertThat(json.get("dimension").asInt()).isEqualTo(192);
    double sum = 0;
    for (JsonNode v : json.get("embedding")) {
      sum += v.asDouble() * v.asDouble();
    }
    assertThat(sum).isBetween(0.999, 1.001);

    CliRun none =
        CliRun.run(
            new EmbedCommand(),
            "--models",
            models,
            "--precision",
            "float",
            img("noface/coral_owl.jpg"));
    assertThat(none.exit()).isEqualTo(1);
    assertThat(none.err()).contains("no face in " + img("noface/coral_owl.jpg"));
  }

  @Test
  void compareSaysSameForSamePersonAndDifferentOtherwise() throws Exception {
    CliRun same =
        CliRun.run(
            new CompareCommand(),
            "--models",
            models,
            "--precision",
            "float",
            "--json",
            img("faces/angelina_jolie/deepface_img1.jpg"),
            img("faces/angelina_jolie/deepface_img2.jpg"));
    CliRun diff =
        CliRun.run(
            new CompareCommand(),
            "--models",
            models,
            "--precision",
            "float",
            "--json",
            img("faces/angelina_jolie/deepface_img1.jpg"),
            img("faces/elon_musk/deepface_img18.jpg"));
    JsonNode s = JSON.readTree(same.out());
    JsonNode d = JSON.readTree(diff.out());
    assertThat(s.get("same").asBoolean()).isTrue();
    assertThat(d.get("same").asBoolean()).isFalse();
    assertThat(s.get("cosine").asDouble()).isGreaterThan(d.get("cosine").asDouble());
    assertThat(s.get("threshold").asDouble()).isEqualTo(CompareCommand.DEFAULT_THRESHOLD);
  }

  @Test
  void benchPipelineReportsOverheadAndFps() throws Exception {
    CliRun r =
        CliRun.run(
            new BenchPipelineCommand(),
            "--models",
            models,
            "--precision",
            "float",
            "--json",
            "--iterations",
            "5",
            "--warmup",
            "1");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode result = JSON.readTree(r.out()).get("results").get(0);
    assertThat(result.get("precision").asText()).isEqualTo("float");
    assertThat(result.get("faces_per_frame").asDouble())
        .as("the synthetic face is found")
        .isEqualTo(1.0);
    assertThat(result.get("overhead_ratio").asDouble()).isGreaterThanOrEqualTo(1.0);
    assertThat(result.get("fps").asDouble()).isPositive();
    assertThat(result.get("pipeline_with_decode_ms").asDouble())
        .isGreaterThan(result.get("pipeline_ms").asDouble());
  }

  @Test
  void faceApiResNet34EmbedsComparesAndBenchesAgainstMobileFaceNet() throws Exception {
    String[] common = {
      "--models", models, "--precision", "float", "--embedder", "faceapi-resnet34"
    };
    CliRun embed =
        CliRun.run(
            new EmbedCommand(),
            concat(common, "--json", img("faces/angelina_jolie/deepface_img1.jpg")));
    assertThat(embed.exit()).as(embed.err()).isZero();
    JsonNode e = JSON.readTree(embed.out());
    assertThat(e.get("dimension").asInt()).isEqualTo(128);
    double sum = 0;
    for (JsonNode v : e.get("embedding")) {
      sum += v.asDouble() * v.asDouble();
    }
    assertThat(sum).isBetween(0.999, 1.001);

    JsonNode same =
        JSON.readTree(
            CliRun.run(
                    new CompareCommand(),
                    concat(
                        common,
                        "--json",
                        img("faces/angelina_jolie/deepface_img1.jpg"),
                        img("faces/angelina_jolie/deepface_img2.jpg")))
                .out());
    JsonNode diff =
        JSON.readTree(
            CliRun.run(
                    new CompareCommand(),
                    concat(
                        common,
                        "--json",
                        img("faces/angelina_jolie/deepface_img1.jpg"),
                        img("faces/elon_musk/deepface_img18.jpg")))
                .out());
    assertThat(same.get("threshold").asDouble()).isEqualTo(0.92);
    assertThat(same.get("same").asBoolean()).isTrue();
    assertThat(diff.get("same").asBoolean()).isFalse();

    CliRun bench =
        CliRun.run(
            new BenchPipelineCommand(),
            concat(common, "--json", "--iterations", "3", "--warmup", "1"));
    assertThat(bench.exit()).as(bench.err()).isZero();
    JsonNode b = JSON.readTree(bench.out());
    assertThat(b.get("embedder").asText()).isEqualTo("faceapi-resnet34");
    assertThat(b.get("baseline_embedder").asText()).isEqualTo("mobilefacenet");
    assertThat(b.get("baseline").get(0).get("faces_per_frame").asDouble()).isEqualTo(1.0);
    assertThat(b.get("embedder_invoke_vs_baseline").get("float").asDouble()).isPositive();
  }

  @Test
  void unknownEmbedderIsAUsageErrorNamingTheChoices() {
    CliRun r =
        CliRun.run(
            new EmbedCommand(),
            "--embedder",
            "arcface",
            img("faces/angelina_jolie/deepface_img1.jpg"));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("mobilefacenet or faceapi-resnet34").contains("arcface");
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
