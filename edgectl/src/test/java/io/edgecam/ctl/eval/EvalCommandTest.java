package io.edgecam.ctl.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Usage errors are caught before any model is loaded, with the option named. */
class EvalCommandTest {
  @Test
  void plotNeedsAPngOrSvgName(@TempDir Path dir) {
    CliRun r = CliRun.run(new EvalCommand(), "--open-set", "--plot", "x.gif", dir.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--plot x.gif: must end in .png or .svg");
  }

  @Test
  void scoresAndPlotNeedOpenSet(@TempDir Path dir) {
    CliRun r = CliRun.run(new EvalCommand(), "--scores", "s.csv", dir.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--scores and --plot need --open-set");
  }

  @Test
  void listSizesMustBePositive(@TempDir Path dir) {
    CliRun r =
        CliRun.run(new EvalCommand(), "--open-set", "--list-sizes", "1000,0", dir.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--list-sizes: each must be >= 1, was 0");
  }

  @Test
  void scoresFileNeedsAnExistingFolder(@TempDir Path dir) {
    Path file = dir.resolve("missing").resolve("s.csv");
    CliRun r =
        CliRun.run(new EvalCommand(), "--open-set", "--scores", file.toString(), dir.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--scores " + file + ": no such directory");
  }

  @Test
  void folderMustExist(@TempDir Path dir) {
    CliRun r = CliRun.run(new EvalCommand(), "--open-set", dir.resolve("nope").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("nope: not a directory");
  }
}
