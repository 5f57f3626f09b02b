package io.edgecam.face.embed;

import io.edgecam.face.align.AlignedFace;
import io.edgecam.face.inference.InferenceEngine;
import io.edgecam.face.inference.ModelLoadException;
import io.edgecam.face.inference.ModelManifest;
import java.util.List;

/**
 * Face embedder (MobileFaceNet, or face-api's ResNet-34): aligned faces in (of the model's {@link
 * FaceInput}), L2-normalised vectors out. The model's batch is fixed at 2 with independent slots.
 * With {@code flip} on (the default), slot 2 holds the horizontally mirrored face and the two
 * outputs are summed before normalising: a free accuracy gain, one invoke per face. With {@code
 * flip} off, two faces share one invoke. Owns its engine; not thread-safe.
 */
public final class FaceEmbedder implements AutoCloseable {
  private final InferenceEngine engine;
  private final FaceInput input;
  private final int slot;
  private final boolean flip;
  private final int dimension;
  private long invokeNanos;

  /**
   * A MobileFaceNet embedder ({@link FaceInput#MOBILEFACENET}).
   *
   * @param engine a MobileFaceNet engine with input {@code [2,112,112,3]}; owned from now
   * @param flip whether slot 2 carries the mirrored face (see class doc)
   */
  public FaceEmbedder(InferenceEngine engine, boolean flip) {
    this(engine, FaceInput.MOBILEFACENET, flip);
  }

  /**
   * @param engine an embedder engine with input {@code [2,size,size,3]} for {@code input}; owned
   *     from now
   * @param input the chip size and normalisation the model expects
   * @param flip whether slot 2 carries the mirrored face (see class doc)
   * @throws ModelLoadException naming the model if its input does not fit {@code input}
   */
  public FaceEmbedder(InferenceEngine engine, FaceInput input, boolean flip) {
    int n = input.size();
    if (engine.input(0).length != 2 * input.pixels()) {
      throw new ModelLoadException(
          "model "
              + engine.manifest().name()
              + ": embedder input must be [2,"
              + n
              + ","
              + n
              + ",3]");
    }
    this.engine = engine;
    this.input = input;
    this.slot = input.pixels();
    this.flip = flip;
    this.dimension = engine.output(0).length / 2;
  }

  /** The chip size and normalisation this embedder's model expects. */
  public FaceInput input() {
    return input;
  }

  /** Manifest of the embedder model. */
  public ModelManifest manifest() {
    return engine.manifest();
  }

  /** Length of the embeddings. */
  public int dimension() {
    return dimension;
  }

  /** The embedding of one face, a new L2-normalised array. */
  public float[] embed(AlignedFace face) {
    float[] out = new float[dimension];
    embedInto(face, flip ? null : face, out, null);
    return out;
  }

  /**
   * Embeds {@code faces} into {@code out} (one preallocated array of {@link #dimension()} per
   * face), two faces per invoke when flip is off.
   */
  public void embedAll(List<AlignedFace> faces, List<float[]> out) {
    if (faces.size() != out.size()) {
      throw new IllegalArgumentException(
          "faces.size() != out.size(): " + faces.size() + " != " + out.size());
    }
    invokeNanos = 0;
    long total = 0;
    for (int i = 0; i < faces.size(); ) {
      if (flip || i + 1 == faces.size()) {
        embedInto(faces.get(i), flip ? null : faces.get(i), out.get(i), null);
        i++;
      } else {
        embedInto(faces.get(i), faces.get(i + 1), out.get(i), out.get(i + 1));
        i += 2;
      }
      total += invokeNanos;
    }
    invokeNanos = total;
  }

  /** Raw {@code Invoke()} time of the last call, in ns (summed over invokes). */
  public long lastInvokeNanos() {
    return invokeNanos;
  }

  /**
   * Runs one invoke. {@code second == null}: slot 2 = mirror of {@code first}, outputs summed into
   * {@code out1}. Otherwise slot 2 = {@code second}, written to {@code out2} (if {@code out2} is
   * null the second output is discarded: the lone-face case).
   */
  private void embedInto(AlignedFace first, AlignedFace second, float[] out1, float[] out2) {
    requireSize(first);
    float[] in = engine.input(0);
    input.normalize(first.rgb(), in, 0);
    if (second == null) {
      input.normalizeMirrored(first.rgb(), in, slot);
    } else {
      requireSize(second);
      input.normalize(second.rgb(), in, slot);
    }
    engine.invoke();
    invokeNanos = engine.lastInvokeNanos();
    float[] o = engine.output(0);
    if (second == null) {
      for (int i = 0; i < dimension; i++) {
        out1[i] = o[i] + o[dimension + i];
      }
    } else {
      System.arraycopy(o, 0, out1, 0, dimension);
      if (out2 != null) {
        System.arraycopy(o, dimension, out2, 0, dimension);
        Vectors.normalize(out2);
      }
    }
    Vectors.normalize(out1);
  }

  private void requireSize(AlignedFace face) {
    if (face.size() != input.size()) {
      throw new IllegalArgumentException(
          "model "
              + engine.manifest().name()
              + " embeds "
              + input.size()
              + "x"
              + input.size()
              + " faces, got "
              + face.size()
              + "x"
              + face.size());
    }
  }

  @Override
  public void close() {
    engine.close();
  }
}
