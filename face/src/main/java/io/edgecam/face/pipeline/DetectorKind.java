package io.edgecam.face.pipeline;

import java.util.Locale;

/** Which BlazeFace model detects faces, and how it searches a frame. */
public enum DetectorKind {
  /** 128x128 short-range model: faces within ~2 m, the fast default (1-2 model runs a frame). */
  SHORT("short", "blazeface-short-range", false),
  /** 192x192 full-range sparse model on the whole frame: faces of >= ~6% of the frame's width. */
  FULL("full", "blazeface-full-range", false),
  /**
   * The short-range model on the whole frame plus the tiles of a {@link
   * io.edgecam.face.detect.TileGrid} sized from {@link PipelineConfig#minFaceSize()}, merged in
   * frame pixels ({@link io.edgecam.face.detect.TiledFaceSearch}). Its small input needs small
   * tiles: ~5x the model runs of {@link #FULL_TILES} at 1080p (docs/accuracy.md "Small faces").
   */
  SHORT_TILES("short+tiles", "blazeface-short-range", true),
  /**
   * Like {@link #SHORT_TILES} with the full-range model: larger tiles, fewer of them (28 at 1080p
   * for 28 px faces). The mode for CCTV distance.
   */
  FULL_TILES("full+tiles", "blazeface-full-range", true);

  /**
   * Smallest face the short-range model finds, as a share of its input side (measured: ~15 of 128
   * px; docs/accuracy.md "Small faces").
   */
  static final float SHORT_MIN_FACE_FRACTION = 0.12f;

  /** Smallest face the full-range model finds, as a share of its input (~12 of 192 px). */
  static final float FULL_MIN_FACE_FRACTION = 0.0625f;

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

  /** Smallest face the model finds, as a share of its input side: sizes the tiles. */
  public float minFaceFraction() {
    return modelName.equals(SHORT.modelName) ? SHORT_MIN_FACE_FRACTION : FULL_MIN_FACE_FRACTION;
  }

  /** True if the frame is searched in tiles as well as whole. */
  public boolean tiled() {
    return tiled;
  }

  /** The name on the command line and in agent.yaml, e.g. {@code short} or {@code full+tiles}. */
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
    throw new IllegalArgumentException(
        "expected short, full, short+tiles or full+tiles, was '" + label + "'");
  }
}
