package io.edgecam.ctl.doctor;

import io.edgecam.agent.config.FacePipelineConfig;
import io.edgecam.agent.config.SourceConfig;
import io.edgecam.agent.service.FacePipelineAnalyzer;
import io.edgecam.face.detect.TileGrid;
import io.edgecam.face.image.Images;
import io.edgecam.face.pipeline.DetectorKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Can the detector find faces of {@code quality.minFaceSize} at the source's resolution? A
 * whole-frame detector shrinks the frame to its input, so at 1920x1080 the full-range model finds
 * faces from ~120 px and short-range from ~230 px; the +tiles modes search down to {@code
 * pipeline.minFaceSize} at a cost in tiles. The resolution is read from the first image of a folder
 * source; live sources are not decoded here.
 */
final class ScaleCheck {
  static final String NAME = "scale";

  /** Tiles per frame above which the sweep cannot keep up on a small CPU. */
  static final int MANY_TILES = 60;

  private ScaleCheck() {}

  static CheckResult run(SourceConfig source, FacePipelineConfig pipeline) {
    int[] size = source.type() == SourceConfig.Type.FOLDER ? firstImageSize(source.path()) : null;
    if (size == null) {
      return CheckResult.ok(
          NAME, "source resolution not known without decoding (" + source.type() + "): skipped");
    }
    return judge(size[0], size[1], pipeline);
  }

  /** The verdict for frames of {@code width x height}. */
  static CheckResult judge(int width, int height, FacePipelineConfig pipeline) {
    DetectorKind kind = FacePipelineAnalyzer.toPipelineConfig(pipeline).detector();
    int embed = pipeline.quality().minFaceSize();
    String res = width + "x" + height;
    if (!kind.tiled()) {
      int smallest = Math.round(kind.minFaceFraction() * Math.max(width, height));
      if (smallest > embed) {
        return CheckResult.warn(
            NAME,
            String.format(
                Locale.ROOT,
                "at %s the whole-frame %s detector finds faces from ~%d px, but"
                    + " quality.minFaceSize is %d: faces of %d-%d px are never found",
                res,
                kind.label(),
                smallest,
                embed,
                embed,
                smallest),
            "set pipeline.detector: full+tiles (pipeline.minFaceSize sizes the tiles), or zoom in");
      }
      return CheckResult.ok(
          NAME,
          "at " + res + " the " + kind.label() + " detector finds faces from ~" + smallest + " px");
    }
    if (pipeline.minFaceSize() > embed) {
      return CheckResult.warn(
          NAME,
          "pipeline.minFaceSize "
              + pipeline.minFaceSize()
              + " > quality.minFaceSize "
              + embed
              + ": faces in between are embeddable but not searched for",
          "set pipeline.minFaceSize <= quality.minFaceSize");
    }
    TileGrid grid = TileGrid.plan(width, height, pipeline.minFaceSize(), kind.minFaceFraction());
    int perFrame = (grid.count() + pipeline.sweepFrames() - 1) / pipeline.sweepFrames();
    String detail =
        String.format(
            Locale.ROOT,
            "at %s: %d tiles of %d px for faces from %d px, %d per frame (sweepFrames %d)",
            res,
            grid.count(),
            grid.tileSize(),
            pipeline.minFaceSize(),
            perFrame,
            pipeline.sweepFrames());
    if (perFrame > MANY_TILES) {
      return CheckResult.warn(
          NAME,
          detail,
          "raise pipeline.minFaceSize or sweepFrames, use full+tiles, or a lower resolution");
    }
    return CheckResult.ok(NAME, detail);
  }

  private static int @Nullable [] firstImageSize(@Nullable Path dir) {
    if (dir == null || !Files.isDirectory(dir)) {
      return null;
    }
    try (Stream<Path> files = Files.list(dir)) {
      Path first =
          files
              .filter(
                  p -> {
                    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                    return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png");
                  })
              .sorted()
              .findFirst()
              .orElse(null);
      if (first == null) {
        return null;
      }
      var frame = Images.read(first);
      return new int[] {frame.width(), frame.height()};
    } catch (IOException | RuntimeException e) {
      return null; // the source check reports unreadable folders and images
    }
  }
}
