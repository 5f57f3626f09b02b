package io.edgecam.face.scene;

import io.edgecam.face.detect.Detection;
import io.edgecam.face.image.Frame;
import io.edgecam.face.image.Images;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Builds CCTV-like test frames: real faces pasted at known sizes into real backgrounds, clean or
 * degraded (blur, noise, JPEG), with ground-truth boxes; and a short clip of people walking across
 * the frame, their faces growing as they approach. Deterministic for a seed.
 *
 * <p>Each face is pasted as a square of {@value #CONTEXT} times its box (hair, neck and shoulders
 * come with it, as in a real frame), shrunk by area averaging, its outer {@value #FEATHER} blended
 * into the background so that no hard patch edge helps the detector.
 */
public final class CctvSceneGenerator {
  /** The pasted square's side over the face box width. */
  static final float CONTEXT = 2.2f;

  static final float FEATHER = 0.15f;

  /** Face sizes of the test set, px (face box width in the frame). */
  public static final List<Integer> SIZES = List.of(20, 28, 40, 56, 80, 112);

  private final List<Portrait> portraits;
  private final List<Frame> backgrounds;

  /**
   * @param portraits faces to paste (at least one)
   * @param backgrounds images without faces (at least one)
   */
  public CctvSceneGenerator(List<Portrait> portraits, List<Frame> backgrounds) {
    if (portraits.isEmpty() || backgrounds.isEmpty()) {
      throw new IllegalArgumentException("need at least one portrait and one background");
    }
    this.portraits = List.copyOf(portraits);
    this.backgrounds = List.copyOf(backgrounds);
  }

  /**
   * Reads {@code facesDir/<identity>/*.jpg|png}, keeping the photos where {@code mainFace} finds a
   * face (it returns null when there is none).
   *
   * @throws UncheckedIOException if the folder cannot be listed
   */
  public static List<Portrait> portraits(Path facesDir, Function<Frame, Detection> mainFace) {
    List<Portrait> out = new ArrayList<>();
    for (Path file : images(facesDir, true)) {
      Frame image = Images.read(file);
      Detection face = mainFace.apply(image);
      if (face != null && face.width() >= 8 && face.height() >= 8) {
        out.add(
            new Portrait(
                file.getParent().getFileName().toString(),
                file.getFileName().toString(),
                image,
                face));
      }
    }
    return out;
  }

  /**
   * The JPEG/PNG images directly in {@code dir} (or one level down when {@code nested}), sorted by
   * path; names starting with {@code faceapi_} are left out (face-api.js examples are not used).
   */
  public static List<Path> images(Path dir, boolean nested) {
    try (Stream<Path> s = Files.walk(dir, nested ? 2 : 1)) {
      return s.filter(Files::isRegularFile)
          .filter(
              p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return (n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png"))
                    && !n.startsWith("faceapi_");
              })
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(dir + ": cannot list: " + e.getMessage(), e);
    }
  }

  /**
   * {@code count} frames of {@code width x height}, each holding one face of every size in {@code
   * sizes} at a random free place, portraits taken in turn.
   */
  public List<Scene> scenes(
      int width, int height, int count, List<Integer> sizes, boolean degraded, long seed) {
    Random random = new Random(seed);
    List<Scene> out = new ArrayList<>();
    int next = Math.floorMod(seed, portraits.size());
    for (int i = 0; i < count; i++) {
      Frame frame = Raster.cover(backgrounds.get(i % backgrounds.size()), width, height);
      List<int[]> taken = new ArrayList<>();
      List<SceneFace> faces = new ArrayList<>();
      for (int size : sizes) {
        Portrait p = portraits.get(next++ % portraits.size());
        int n = Math.round(CONTEXT * size);
        int[] at = freeSpot(random, width, height, n, taken);
        if (at != null) {
          faces.add(paste(frame, p, size, at[0], at[1]));
        }
      }
      Frame f = degraded ? Raster.degrade(frame, random) : frame;
      String name =
          String.format(
              Locale.ROOT, "%dx%d-%s-%03d", width, height, degraded ? "degraded" : "clean", i);
      out.add(new Scene(name, f, degraded, faces));
    }
    return out;
  }

  /**
   * A clip of {@code frames} frames: {@code people} faces walking across a {@code width x height}
   * frame, each from one side to the other, growing from {@code fromSize} to {@code toSize} px.
   * People start at different heights and times so that they do not overlap.
   */
  public List<Scene> walk(
      int width, int height, int frames, int people, int fromSize, int toSize, long seed) {
    Frame background = Raster.cover(backgrounds.get(0), width, height);
    List<Scene> out = new ArrayList<>();
    for (int t = 0; t < frames; t++) {
      Frame frame = Frame.allocate(width, height);
      System.arraycopy(background.rgb(), 0, frame.rgb(), 0, 3 * width * height);
      List<SceneFace> faces = new ArrayList<>();
      for (int k = 0; k < people; k++) {
        Random own = new Random(seed * 31 + k);
        float progress = (float) t / Math.max(1, frames - 1);
        int size = Math.round(fromSize + (toSize - fromSize) * progress);
        int n = Math.round(CONTEXT * size);
        float lane = (k + 0.5f) / people;
        int y = Math.round(lane * (height - n));
        boolean leftToRight = k % 2 == 0;
        float xs = leftToRight ? progress : 1 - progress;
        int x = Math.round(xs * (width - n));
        Portrait p = portraits.get((k + own.nextInt(portraits.size())) % portraits.size());
        faces.add(paste(frame, p, size, x, y));
      }
      out.add(new Scene(String.format(Locale.ROOT, "walk-%04d", t), frame, false, faces));
    }
    return out;
  }

  /** JPEG bytes of a scene's frame at {@code quality} (0..1), e.g. to save the set. */
  public static byte[] jpeg(Frame frame, float quality) {
    return Raster.jpeg(frame, quality);
  }

  private static SceneFace paste(Frame frame, Portrait p, int size, int x, int y) {
    Detection d = p.face();
    float scale = size / d.width();
    int n = Math.round(CONTEXT * size);
    double side = n / scale;
    double sx = d.x() + d.width() / 2 - side / 2;
    double sy = d.y() + d.height() / 2 - side / 2;
    Raster.paste(frame, Raster.patch(p.image(), sx, sy, side, n), n, x, y, FEATHER);
    return new SceneFace(
        p.identity(),
        size,
        (float) (x + (d.x() - sx) * scale),
        (float) (y + (d.y() - sy) * scale),
        d.width() * scale,
        d.height() * scale);
  }

  private static int[] freeSpot(Random random, int width, int height, int n, List<int[]> taken) {
    for (int attempt = 0; attempt < 200; attempt++) {
      int x = random.nextInt(Math.max(1, width - n));
      int y = random.nextInt(Math.max(1, height - n));
      boolean free = true;
      for (int[] t : taken) {
        if (x < t[0] + t[2] && x + n > t[0] && y < t[1] + t[2] && y + n > t[1]) {
          free = false;
          break;
        }
      }
      if (free) {
        taken.add(new int[] {x, y, n});
        return new int[] {x, y};
      }
    }
    return null;
  }
}
