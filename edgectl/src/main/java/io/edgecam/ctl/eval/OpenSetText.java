package io.edgecam.ctl.eval;

import java.io.PrintWriter;
import java.util.Map;

/** The human-readable form of an {@link OpenSetReport} (what {@code eval --open-set} prints). */
final class OpenSetText {
  private OpenSetText() {}

  static void print(OpenSetReport r, PrintWriter out) {
    out.printf(
        "images %d, faces missed %d, precision %s%n", r.images(), r.facesMissed(), r.precision());
    out.printf(
        "pairs: %,d genuine, %,d impostor (every pair); %d strangers, >= %d entries each%n",
        r.genuinePairs(), r.impostorPairs(), r.strangers(), r.entriesPerStranger());
    out.printf("%nthreshold  FMR (impostors >= t)      FMR 95%% upper   FNMR%n");
    r.fmrAtThreshold()
        .forEach(
            (t, a) ->
                out.printf(
                    "%-9s  %.2e (%,d of %,d)  %-14.2e  %.4f%n",
                    t,
                    a.fmr(),
                    a.impostorsAtOrAbove(),
                    r.impostorPairs(),
                    a.fmrUpper95(),
                    a.fnmr()));
    out.printf("%nFNMR at FMR%n");
    for (Map.Entry<String, FnmrAtFmr> e : r.fnmrAtFmr().entrySet()) {
      FnmrAtFmr f = e.getValue();
      if (f.supported()) {
        out.printf(
            "  %s: FNMR %.4f at threshold %.4f (FMR reached %.2e, 95%% upper bound %.2e)%n",
            e.getKey(), f.fnmr(), f.threshold(), f.fmr(), f.fmrUpper95());
      } else {
        out.printf("  %s: %s%n", e.getKey(), f.note());
      }
    }
    out.printf("%nFPIR per stranger (simulated / from FMR / from FMR's 95%% upper bound)%n");
    r.fpir()
        .forEach(
            (n, byT) ->
                byT.forEach(
                    (t, f) ->
                        out.printf(
                            "  N=%-7s t=%-5s %.4f / %.4f / %.4f%n",
                            n, t, f.simulated(), f.fromFmr(), f.fromFmrUpper95())));
    out.printf("%nFNIR at FPIR (threshold where both FPIR estimates are <= the target)%n");
    r.fnirAtFpir()
        .forEach(
            (n, byP) ->
                byP.forEach(
                    (p, o) ->
                        out.printf(
                            "  N=%-7s FPIR %-5s threshold %.4f  FNIR %.4f%s%n",
                            n,
                            p,
                            o.threshold(),
                            o.fnir(),
                            o.supported() ? "" : "  (" + o.note() + ")")));
    out.printf("%nthreshold for FPIR 1%%: %s%n", r.thresholdFor());
  }
}
