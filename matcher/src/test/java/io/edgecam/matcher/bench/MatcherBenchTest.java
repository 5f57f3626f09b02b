package io.edgecam.matcher.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class MatcherBenchTest {
  @Test
  void smallRunAgreesWithTheFloatBaselineAndPrintsTheDocumentedJson() throws Exception {
    MatcherBench.BenchResult r = MatcherBench.run(2_000, 200, 2, 1);
    assertThat(r.agreement()).isGreaterThanOrEqualTo(0.99);
    assertThat(r.recallNear()).isEqualTo(1.0);
    JsonNode json = new ObjectMapper().readTree(r.toJson());
    assertThat(json.get("entries").asInt()).isEqualTo(2_000);
    assertThat(json.get("exact_int8").get("candidates_per_s").asDouble()).isPositive();
    assertThat(json.get("baseline_float").get("p99_us").asDouble()).isPositive();
    assertThat(json.has("speedup")).isTrue();
  }
}
