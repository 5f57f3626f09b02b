package io.edgecam.matcher.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgecam.matcher.config.IndexConfig;
import io.edgecam.matcher.index.SignBitWatchlistIndex;
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
                3_000,
                300,
                2,
                1,
                "face-like",
                MatcherBench.DEFAULT_THRESHOLD,
                IndexConfig.defaults(),
                List.of(32, 64),
                List.of(300, 600),
                List.of(60)),
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
    assertThat(json.get("threshold").asDouble()).isEqualTo(0.45);
    assertThat(json.get("exact").get("candidates_per_s").asDouble()).isPositive();
    assertThat(json.get("hnsw")).hasSize(2);
    assertThat(json.get("hnsw").get(1).get("p99_us").asDouble()).isPositive();
    assertThat(json.get("hnsw").get(1).get("recall_at_1").asDouble()).isGreaterThanOrEqualTo(0.99);
    assertThat(json.get("hnsw").get(1).has("nn_recall_at_1")).isTrue();
    assertThat(json.get("graph").get("build_s").asDouble()).isPositive();
    assertThat(json.get("sign_bits")).hasSize(2); // each shortlist with each rerank
    JsonNode bits = json.get("sign_bits").get(0);
    assertThat(bits.get("shortlist").asInt()).isEqualTo(300);
    assertThat(bits.get("rerank").asInt()).isEqualTo(60);
    assertThat(bits.get("scan").asText())
        .isEqualTo(
            SignBitWatchlistIndex.Scan.forThisMachine().name().toLowerCase(java.util.Locale.ROOT));
    assertThat(bits.get("build_s").asDouble()).isGreaterThanOrEqualTo(0.0);
    assertThat(bits.get("shortlisted").asDouble()).isBetween(100.0, 1_000.0);
    assertThat(bits.get("reranked").asDouble()).isEqualTo(60.0);
    assertThat(json.get("sign_bits").get(1).get("shortlist").asInt()).isEqualTo(600);
    assertThat(bits.get("recall_at_1_genuine").asDouble()).isGreaterThanOrEqualTo(0.99);
    assertThat(bits.get("recall_at_1").asDouble()).isGreaterThanOrEqualTo(0.95);
    assertThat(bits.get("cpu_us").asDouble()).isPositive();
    assertThat(json.get("heap_mb").get("sign_bits").asDouble()).isPositive();
    assertThat(json.get("heap_mb").get("hnsw_graph").asDouble()).isPositive();
  }

  @Test
  void aHigherThresholdMatchesFewerStrangersAndIsTheOneSearchedWith() throws Exception {
    MatcherBench.BenchResult low = smallRun(0.45);
    MatcherBench.BenchResult high = smallRun(0.6);
    assertThat(high.strangersMatched()).isLessThan(low.strangersMatched());
    // Genuine candidates sit at cosine 0.8: still matched at 0.6.
    assertThat(high.hnsw().get(0).recall().recallAt1Genuine()).isGreaterThanOrEqualTo(0.99);
    assertThat(new ObjectMapper().readTree(high.toJson()).get("threshold").asDouble())
        .isEqualTo(0.6);
    assertThatThrownBy(() -> smallRun(1.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("threshold must be a cosine in (-1, 1], was 1.5");
  }

  private static MatcherBench.BenchResult smallRun(double threshold) {
    return MatcherBench.run(
        new MatcherBench.Options(
            5_000,
            400,
            2,
            1,
            "face-like",
            threshold,
            IndexConfig.defaults(),
            List.of(32),
            List.of(200),
            List.of(200)),
        line -> {});
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
