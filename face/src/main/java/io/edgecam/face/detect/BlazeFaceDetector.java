package io.edgecam.face.detect;

import io.edgecam.face.image.AffineSampler;
import io.edgecam.face.image.Frame;
import io.edgecam.face.inference.InferenceEngine;
import io.edgecam.face.inference.ModelLoadException;
import io.edgecam.face.inference.ModelManifest;
import java.util.ArrayList;
import java.util.List;

/**
 * BlazeFace face detector (MediaPipe short-range 128x128 or full-range 192x192): letterboxes the
 * frame into the model input, decodes SSD anchors, applies weighted NMS and maps boxes and
 * keypoints back to source pixels.
 *
 * <p>A face that fills the frame (a tight crop) defeats BlazeFace, so when nothing is found, or the
 * best box crosses the border, the frame is padded by edge replication ({@value #PAD} of its size
 * per side) and detected again. Owns its engine; not thread-safe; no allocation per frame beyond
 * the returned detections.
 *
 * <p>{@link TiledFaceSearch} searches large frames with it, tile by tile ({@link #detectRegion}).
 */
public final class BlazeFaceDetector implements AutoCloseable {
  static final float PAD = 0.25f;
  private static final float NMS_IOU = 0.3f;
  private static final float LOGIT_CLIP = 100f;

  private final InferenceEngine engine;
  private final int inputSize;
  private final float[] anchors;
  private final float minScore;
  private final float minLogit;
  private final AffineSampler sampler = new AffineSampler();
  private final List<Detection> candidates = new ArrayList<>();
  private long invokeNanos;

  /**
   * @param engine a BlazeFace engine; owned from now
   * @param spec its SSD anchor layout (see {@code ModelStore.anchors})
   * @param minScore minimum detection score, 0..1
   */
  public BlazeFaceDetector(InferenceEngine engine, ModelManifest.AnchorSpec spec, float minScore) {
    if (!(minScore > 0 && minScore < 1)) {
      throw new IllegalArgumentException("minScore must be in (0, 1), was " + minScore);
    }
    this.engine = engine;
    this.inputSize = spec.inputSize();
    this.anchors = Anchors.centres(spec.inputSize(), spec.strides(), spec.anchorsPerCell());
    int boxes = engine.output(1).length;
    if (anchors.length / 2 != boxes) {
      throw new ModelLoadException(
          "model "
              + engine.manifest().name()
              + ": "
              + boxes
              + " outputs but "
              + anchors.length / 2
              + " anchors");
    }
    this.minScore = minScore;
    this.minLogit = (float) Math.log(minScore / (1 - minScore));
  }

  /** Faces in the frame, best score first; empty when there are none. */
  public List<Detection> detect(Frame frame) {
    invokeNanos = 0;
    int w = frame.width();
    int h = frame.height();
    List<Detection> found = detectIn(frame, 0, 0, w, h);
    if (found.isEmpty() || found.get(0).crossesBorder(w, h)) {
      float px = PAD * w;
      float py = PAD * h;
      List<Detection> padded = detectIn(frame, -px, -py, w + 2 * px, h + 2 * py);
      if (!padded.isEmpty()) {
        return padded;
      }
    }
    return found;
  }

  /**
   * Faces in a region of the frame (which may extend past the image: edge-replicated), letterboxed
   * into the model input, in frame pixels; adds to {@link #lastInvokeNanos()}.
   */
  public List<Detection> detectRegion(Frame frame, float x, float y, float width, float height) {
    if (!(width > 0 && height > 0)) {
      throw new IllegalArgumentException("region must not be empty: " + width + "x" + height);
    }
    return detectIn(frame, x, y, width, height);
  }

  /**
   * Total raw {@code Invoke()} time since the last {@link #detect} began (tiles included), in ns.
   */
  public long lastInvokeNanos() {
    return invokeNanos;
  }

  /** The engine's manifest. */
  public ModelManifest manifest() {
    return engine.manifest();
  }

  /** Detects in the source region (may extend past the image: edge-replicated). */
  private List<Detection> detectIn(Frame frame, float rx, float ry, float rw, float rh) {
    float side = Math.max(rw, rh);
    float ox = rx - (side - rw) / 2;
    float oy = ry - (side - rh) / 2;
    double s = side / inputSize;
    sampler
        .transform(s, 0, ox + 0.5 * s - 0.5, 0, s, oy + 0.5 * s - 0.5)
        .normalization(1 / 127.5f, -1f, -1f)
        .window(rx, ry, rx + rw, ry + rh)
        .sample(frame, engine.input(0), 0, inputSize, inputSize);
    engine.invoke();
    invokeNanos += engine.lastInvokeNanos();
    decode(
        engine.output(0), engine.output(1), anchors, inputSize, minLogit, side, ox, oy, candidates);
    List<Detection> result = WeightedNms.apply(candidates, NMS_IOU);
    candidates.clear();
    return result;
  }

  /**
   * Decodes raw outputs into candidate detections in source pixels: {@code regressors} holds 16
   * values per anchor (box centre offset, size, 6 keypoint offsets; all in input pixels relative to
   * the anchor centre), {@code logits} one score logit per anchor.
   */
  static void decode(
      float[] regressors,
      float[] logits,
      float[] anchors,
      int inputSize,
      float minLogit,
      float side,
      float ox,
      float oy,
      List<Detection> out) {
    float[] kp = new float[2 * Detection.KEYPOINTS];
    for (int i = 0; i < logits.length; i++) {
      float logit = Math.max(-LOGIT_CLIP, Math.min(LOGIT_CLIP, logits[i]));
      if (logit < minLogit) {
        continue;
      }
      float score = (float) (1 / (1 + Math.exp(-logit)));
      int r = 16 * i;
      float ax = anchors[2 * i];
      float ay = anchors[2 * i + 1];
      float cx = regressors[r] / inputSize + ax;
      float cy = regressors[r + 1] / inputSize + ay;
      float bw = regressors[r + 2] / inputSize;
      float bh = regressors[r + 3] / inputSize;
      for (int k = 0; k < Detection.KEYPOINTS; k++) {
        kp[2 * k] = ox + side * (regressors[r + 4 + 2 * k] / inputSize + ax);
        kp[2 * k + 1] = oy + side * (regressors[r + 5 + 2 * k] / inputSize + ay);
      }
      out.add(
          new Detection(
              ox + side * (cx - bw / 2),
              oy + side * (cy - bh / 2),
              side * Math.max(0, bw),
              side * Math.max(0, bh),
              score,
              kp));
    }
  }

  /** The minimum score this detector reports. */
  public float minScore() {
    return minScore;
  }

  @Override
  public void close() {
    engine.close();
  }
}
