package io.edgecam.face.pipeline;

import java.util.Locale;

/** Which BlazeFace model detects faces, and how it searches a frame. */
public enum DetectorKind {
  /** 128x128 short-range model: faces within ~2 m, the fast default (1-2 model runs a frame). */
  SHORT("short", "blazeface-short-range", false),
  /** 192x192 full-range sparse model: small faces at CCTV distance. */
  FULL("full", "blazeface-full-range", false),
  /**
   * The short-range model on the whole frame plus overlapping tiles, with each tile-only face
   * verified by a second run centred on it: small faces in large photos and faces cut by the
   * border. About 20 model runs a frame: for still photos ({@code detect}, {@code eval}), not for
   * the camera loop.
   */
  SHORT_TILES("short+tiles", "blazeface-short-range", true);

  private final String label;
  private final String modelName;
  private final boolean tiled;

  DetectorKind(String label, String modelName, boolean tiled) {
    this.label = label;
    this.modelName = modelName;
    this.tiled = tiled;
  }

  /** The float model's manifest name. */
  public String modelName() {
    return modelName;
  }

  /** True if the frame is searched in tiles as well as whole. */
  public boolean tiled() {
    return tiled;
  }

  /** The name on the command line: {@code short}, {@code full} or {@code short+tiles}. */
  public String label() {
    return label;
  }

  /**
   * The kind named {@code label} (case-insensitive; the enum name is accepted too).
   *
   * @throws IllegalArgumentException listing the accepted names
   */
  public static DetectorKind parse(String label) {
    String l = label.trim().toLowerCase(Locale.ROOT);
    for (DetectorKind k : values()) {
      if (k.label.equals(l) || k.name().toLowerCase(Locale.ROOT).equals(l)) {
        return k;
      }
    }
    throw new IllegalArgumentException("expected short, full or short+tiles, was '" + label + "'");
  }
}
