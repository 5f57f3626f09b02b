package io.edgecam.face.inference;

/**
 * One loaded model, ready to run. Inputs and outputs are exchanged through float arrays owned by
 * the engine (allocated once): fill {@link #input(int)}, call {@link #invoke()}, read {@link
 * #output(int)}. Quantized (int8/uint8) tensors are quantized and dequantized at this boundary, so
 * callers always see real values. Not thread-safe: one engine per thread.
 */
public interface InferenceEngine extends AutoCloseable {

  /** The manifest this engine was loaded from. */
  ModelManifest manifest();

  /** The float buffer for input {@code index}, in the manifest's shape (row-major). */
  float[] input(int index);

  /** The float buffer holding output {@code index} after the last {@link #invoke()}. */
  float[] output(int index);

  /** Copies the inputs in, runs the model, copies the outputs out. */
  void invoke();

  /** Wall time of the interpreter's own {@code Invoke()} in the last {@link #invoke()}, in ns. */
  long lastInvokeNanos();

  /** Releases the native interpreter and model. */
  @Override
  void close();
}
