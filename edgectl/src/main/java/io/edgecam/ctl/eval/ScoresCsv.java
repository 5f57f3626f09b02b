package io.edgecam.ctl.eval;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Writes scored pairs as CSV, {@code image_a,image_b,same,score} ({@code same} 1 or 0), so that
 * anyone can recompute the figures.
 */
public final class ScoresCsv {
  private ScoresCsv() {}

  /** Writes {@code pairs} to {@code file}, replacing it. */
  public static void write(Path file, List<ScoredPair> pairs) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("image_a,image_b,same,score\n");
      for (ScoredPair p : pairs) {
        w.write(field(p.imageA()));
        w.write(',');
        w.write(field(p.imageB()));
        w.write(p.genuine() ? ",1," : ",0,");
        w.write(String.format(Locale.ROOT, "%.6f", p.score()));
        w.write('\n');
      }
    }
  }

  /** RFC 4180 quoting where needed. */
  static String field(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }
}
