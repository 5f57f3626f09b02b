package io.edgecam.ctl.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYItemRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.SVGUtils;

/**
 * Draws the open-set figures with JFreeChart, side by side in one PNG or SVG: the DET curve (FNMR
 * against FMR, log axes) and FPIR (simulated: solid, from the FMR: dashed, per list size) and FNIR
 * against the threshold. Only the CLI uses it; the metrics do not depend on it.
 */
public final class OpenSetPlots {
  private static final int PANEL_WIDTH = 640;
  private static final int HEIGHT = 480;
  private static final int MAX_POINTS = 200;
  private static final Color[] PALETTE = {
    new Color(0xD62728), new Color(0x1F77B4), new Color(0x2CA02C), new Color(0x9467BD)
  };
  private static final float[] DASH = {6f, 4f};

  private OpenSetPlots() {}

  /**
   * Writes both plots to {@code file}, SVG when its name ends in {@code .svg}, else PNG.
   *
   * @param title names the data, e.g. the folder and the embedder
   */
  public static void write(
      Path file, String title, OpenSetMetrics metrics, List<StrangerSimulation> simulations)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    JFreeChart det = det(title, metrics);
    JFreeChart fpir = fpirFnir(title, metrics, simulations);
    int width = 2 * PANEL_WIDTH;
    if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".svg")) {
      SVGGraphics2D g = new SVGGraphics2D(width, HEIGHT);
      // One decimal is a tenth of a pixel: keeps the file small enough to commit.
      g.setGeomDoubleConverter(d -> String.format(Locale.ROOT, "%.1f", d));
      g.setTransformDoubleConverter(d -> String.format(Locale.ROOT, "%.3f", d));
      draw(g, det, fpir);
      SVGUtils.writeToSVG(file.toFile(), g.getSVGElement());
    } else {
      BufferedImage image = new BufferedImage(width, HEIGHT, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = image.createGraphics();
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      draw(g, det, fpir);
      g.dispose();
      if (!ImageIO.write(image, "png", file.toFile())) {
        throw new IOException(file + ": no PNG writer");
      }
    }
  }

  private static void draw(Graphics2D g, JFreeChart left, JFreeChart right) {
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 2 * PANEL_WIDTH, HEIGHT);
    left.draw(g, new Rectangle2D.Double(0, 0, PANEL_WIDTH, HEIGHT));
    right.draw(g, new Rectangle2D.Double(PANEL_WIDTH, 0, PANEL_WIDTH, HEIGHT));
  }

  /** FNMR against FMR on log axes; points where either rate is 0 cannot be drawn. */
  static JFreeChart det(String title, OpenSetMetrics m) {
    double[] imp = m.impostorScores();
    XYSeries series = new XYSeries("DET", false);
    double lastLog = Double.NaN;
    for (int k = 1; k <= imp.length; k++) { // k impostors at or above the k-th highest score
      double t = imp[imp.length - k];
      if (k < imp.length && imp[imp.length - k - 1] == t) {
        continue; // ties: take the last of them
      }
      double fmr = m.fmr(t);
      double fnmr = m.fnmr(t);
      double log = Math.log10(fmr);
      boolean spaced =
          Double.isNaN(lastLog) || log - lastLog >= 4.0 / MAX_POINTS || k == imp.length;
      if (fnmr > 0 && spaced) {
        series.add(fmr, fnmr);
        lastLog = log;
      }
    }
    XYSeriesCollection data = new XYSeriesCollection(series);
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            "DET: " + title, "FMR", "FNMR", data, PlotOrientation.VERTICAL, false, false, false);
    XYPlot plot = chart.getXYPlot();
    plot.setDomainAxis(
        decades("FMR (" + m.impostorPairs() + " impostor pairs)", m.impostorPairs()));
    plot.setRangeAxis(
        decades("FNMR (" + m.genuinePairs() + " genuine pairs; 0 not drawn)", m.genuinePairs()));
    style(plot);
    plot.getRenderer().setSeriesPaint(0, Color.BLACK);
    return chart;
  }

  /** A log axis from half of one count in {@code n} to 1, one tick per decade ("1E-3"). */
  private static LogAxis decades(String label, int n) {
    LogAxis axis = new LogAxis(label);
    axis.setRange(Math.pow(10, Math.floor(Math.log10(0.5 / n))), 1);
    axis.setTickUnit(new NumberTickUnit(1));
    axis.setNumberFormatOverride(new DecimalFormat("0E0"));
    return axis;
  }

  /** Simulated FPIR per list size and FNIR (= FNMR) against the threshold. */
  static JFreeChart fpirFnir(String title, OpenSetMetrics m, List<StrangerSimulation> sims) {
    XYSeriesCollection data = new XYSeriesCollection();
    double lo = 0;
    double hi = 1;
    for (StrangerSimulation sim : sims) {
      String n = String.format(Locale.ROOT, "%,d", sim.listSize());
      XYSeries simulated = new XYSeries("FPIR simulated, N = " + n);
      XYSeries closed = new XYSeries("FPIR from FMR, N = " + n);
      for (int i = 0; i <= MAX_POINTS; i++) {
        double t = lo + (hi - lo) * i / MAX_POINTS;
        simulated.add(t, sim.fpir(t));
        closed.add(t, m.fpirFromFmr(t, sim.listSize()));
      }
      data.addSeries(simulated);
      data.addSeries(closed);
    }
    XYSeries fnir = new XYSeries("FNIR (mate below threshold)");
    for (int i = 0; i <= MAX_POINTS; i++) {
      double t = lo + (hi - lo) * i / MAX_POINTS;
      fnir.add(t, m.fnmr(t));
    }
    data.addSeries(fnir);
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            "FPIR / FNIR: " + title,
            "threshold (cosine)",
            "rate",
            data,
            PlotOrientation.VERTICAL,
            true,
            false,
            false);
    XYPlot plot = chart.getXYPlot();
    ((NumberAxis) plot.getRangeAxis()).setRange(0, 1);
    style(plot);
    XYItemRenderer r = plot.getRenderer();
    for (int i = 0; i < sims.size(); i++) {
      Color c = PALETTE[i % PALETTE.length];
      r.setSeriesPaint(2 * i, c);
      r.setSeriesPaint(2 * i + 1, c);
      r.setSeriesStroke(2 * i, new BasicStroke(2f));
      r.setSeriesStroke(
          2 * i + 1,
          new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, DASH, 0f));
    }
    r.setSeriesPaint(2 * sims.size(), Color.BLACK);
    r.setSeriesStroke(2 * sims.size(), new BasicStroke(2f));
    return chart;
  }

  private static void style(XYPlot plot) {
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
    renderer.setDrawSeriesLineAsPath(true); // one path per series, not one line per segment
    plot.setRenderer(renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
  }
}
