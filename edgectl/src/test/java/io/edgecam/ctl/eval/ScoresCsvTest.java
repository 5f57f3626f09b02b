package io.edgecam.ctl.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoresCsvTest {
  @Test
  void writesOneRowPerPairAndQuotesCommas(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("scores.csv");
    ScoresCsv.write(
        csv,
        List.of(
            new ScoredPair("ann/1.jpg", "ann", "ann/2.jpg", "ann", 0.81234567),
            new ScoredPair("ann/1.jpg", "ann", "bo, jr/1.jpg", "bo, jr", -0.05)));
    assertThat(Files.readAllLines(csv))
        .containsExactly(
            "image_a,image_b,same,score",
            "ann/1.jpg,ann/2.jpg,1,0.812346",
            "ann/1.jpg,\"bo, jr/1.jpg\",0,-0.050000");
  }
}
