package io.edgecam.ctl.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

class OpenSetPlotsTest {
  private static final OpenSetMetrics METRICS =
      OpenSetMetrics.of(OpenSetMetricsTest.syntheticPairs(40, 3));
  private static final List<StrangerSimulation> SIMS =
      List.of(METRICS.simulate(10, 1), METRICS.simulate(100, 1));

  @Test
  void writesAPngWithBothPanels(@TempDir Path dir) throws Exception {
    Path png = dir.resolve("plot.png");
    OpenSetPlots.write(png, "synthetic", METRICS, SIMS);
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image).isNotNull();
    assertThat(image.getWidth()).isEqualTo(1280);
    assertThat(image.getHeight()).isEqualTo(480);
    // something is drawn in each half: not a blank white panel
    assertThat(distinctColours(image, 0, 640)).isGreaterThan(3);
    assertThat(distinctColours(image, 640, 1280)).isGreaterThan(3);
  }

  @Test
  void writesAnSvgWithBothCharts(@TempDir Path dir) throws Exception {
    Path svg = dir.resolve("plot.SVG");
    OpenSetPlots.write(svg, "synthetic", METRICS, SIMS);
    String text = Files.readString(svg, StandardCharsets.UTF_8);
    // well-formed XML with an svg root (without fetching the DTD)
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    Element root = factory.newDocumentBuilder().parse(svg.toFile()).getDocumentElement();
    assertThat(root.getTagName()).isEqualTo("svg");
    assertThat(root.getAttribute("width")).isEqualTo("1280.0");
    assertThat(text)
        .contains("DET: synthetic")
        .contains("FPIR simulated, N = 100")
        .contains("FNIR (mate below threshold)")
        .contains(METRICS.impostorPairs() + " impostor pairs");
  }

  private static long distinctColours(BufferedImage image, int x0, int x1) {
    return java.util.stream.IntStream.range(x0, x1)
        .flatMap(
            x ->
                java.util.stream.IntStream.range(0, image.getHeight()).map(y -> image.getRGB(x, y)))
        .distinct()
        .count();
  }
}
