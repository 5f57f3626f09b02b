package io.edgecam.matcher.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgecam.matcher.config.IndexConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MatcherBenchTest {
  @Test
  void smallFaceLikeRunReachesTheRecallTargetAndPrintsTheDocumentedJson() throws Exception {
    List<String> progress = new ArrayList<>();
    MatcherBench.BenchResult r =
        MatcherBench.run(
            new MatcherBench.Options(
                3_000, 300, 2, 1, "face-like", IndexConfig.defaults(), List.of(32, 64)),
            progress::add);
    MatcherBench.HnswRun ef64 = r.hnsw().get(1);
    assertThat(ef64.efSearch()).isEqualTo(64);
    assertThat(ef64.recall().recallAt1()).isGreaterThanOrEqualTo(0.99);
    assertThat(ef64.recall().recallAt1Genuine()).isGreaterThanOrEqualTo(0.99);
    assertThat(ef64.timing().cpuMicros()).isPositive();
    assertThat(progress).isNotEmpty();
    JsonNode json = new ObjectMapper().readTree(r.toJson());
    assertThat(json.get("entries").asInt()).isEqualTo(3_000);
    assertThat(json.get("data").asText()).isEqualTo("face-like");
    assertThat(json.get("exact").get("candidates_per_s").asDouble()).isPositive();
    assertThat(json.get("hnsw")).hasSize(2);
    assertThat(json.get("hnsw").get(1).get("p99_us").asDouble()).isPositive();
    assertThat(json.get("hnsw").get(1).get("recall_at_1").asDouble()).isGreaterThanOrEqualTo(0.99);
    assertThat(json.get("hnsw").get(1).has("nn_recall_at_1")).isTrue();
    assertThat(json.get("graph").get("build_s").asDouble()).isPositive();
    assertThat(json.get("heap_mb").get("hnsw_graph").asDouble()).isPositive();
  }

  @Test
  void faceLikeDataHasTheMeasuredImpostorSpread() {
    // The spectrum exponent reproduces the impostor cosine spread of the real embedder.
    double alpha = SyntheticEmbeddings.alphaFor(SyntheticEmbeddings.MEASURED_IMPOSTOR_STD, 192);
    assertThat(alpha).isBetween(0.7, 0.9);
    SyntheticEmbeddings gen =
        new SyntheticEmbeddings(SyntheticEmbeddings.Kind.FACE_LIKE, 192, new java.util.Random(3));
    double sum = 0;
    double sq = 0;
    int n = 2_000;
    for (int i = 0; i < n; i++) {
      float[] a = gen.identity();
      float[] b = gen.identity();
      double c = 0;
      for (int d = 0; d < 192; d++) {
        c += a[d] * b[d];
      }
      sum += c;
      sq += c * c;
    }
    double std = Math.sqrt(sq / n - (sum / n) * (sum / n));
    assertThat(std).isBetween(0.125, 0.165);
  }
}
