package io.edgecam.face.inference;

import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteFloat32;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteInt8;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteOk;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteUInt8;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.tensorflowlite.BuiltinOpResolver;
import org.bytedeco.tensorflowlite.FlatBufferModel;
import org.bytedeco.tensorflowlite.Interpreter;
import org.bytedeco.tensorflowlite.InterpreterBuilder;
import org.bytedeco.tensorflowlite.TfLiteIntArray;
import org.bytedeco.tensorflowlite.TfLiteTensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link InferenceEngine} on TensorFlow Lite through the JavaCPP presets, with the builtin op
 * resolver (XNNPACK delegate on by default for float graphs). The only class that touches JavaCPP.
 * Not thread-safe.
 */
public final class TfliteInferenceEngine implements InferenceEngine {
  private static final Logger log = LoggerFactory.getLogger(TfliteInferenceEngine.class);

  private final ModelManifest manifest;
  private final FlatBufferModel model;
  private final BuiltinOpResolver resolver;
  private final InterpreterBuilder builder;
  private final Interpreter interpreter;
  private final Port[] inputs;
  private final Port[] outputs;
  private long lastInvokeNanos;
  private boolean closed;

  private TfliteInferenceEngine(
      ModelManifest manifest,
      FlatBufferModel model,
      BuiltinOpResolver resolver,
      InterpreterBuilder builder,
      Interpreter interpreter) {
    this.manifest = manifest;
    this.model = model;
    this.resolver = resolver;
    this.builder = builder;
    this.interpreter = interpreter;
    this.inputs = ports(true, manifest.inputs());
    this.outputs = ports(false, manifest.outputs());
  }

  /**
   * Loads {@code file} and checks its tensors against {@code manifest}. Does not check the sha256
   * (see {@link ModelStore#open}).
   *
   * @throws ModelLoadException naming the file if it is missing, truncated, corrupt, or its tensors
   *     differ from the manifest
   */
  public static TfliteInferenceEngine open(Path file, ModelManifest manifest, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads < 1: " + threads);
    }
    if (!Files.isRegularFile(file)) {
      throw new ModelLoadException(file + ": model file missing");
    }
    // The verifier rejects truncated or corrupt flatbuffers instead of reading past their end.
    FlatBufferModel model = FlatBufferModel.VerifyAndBuildFromFile(file.toString());
    if (model == null || model.isNull() || !model.initialized()) {
      throw new ModelLoadException(file + ": not a valid TFLite model (truncated or corrupt file)");
    }
    BuiltinOpResolver resolver = new BuiltinOpResolver();
    InterpreterBuilder builder = new InterpreterBuilder(model, resolver);
    builder.SetNumThreads(threads);
    Interpreter interpreter = new Interpreter((org.bytedeco.javacpp.Pointer) null);
    if (builder.apply(interpreter) != kTfLiteOk || interpreter.isNull()) {
      closeAll(interpreter, builder, resolver, model);
      throw new ModelLoadException(file + ": cannot build a TFLite interpreter (unsupported ops?)");
    }
    if (interpreter.AllocateTensors() != kTfLiteOk) {
      closeAll(interpreter, builder, resolver, model);
      throw new ModelLoadException(file + ": cannot allocate tensors");
    }
    try {
      TfliteInferenceEngine engine =
          new TfliteInferenceEngine(manifest, model, resolver, builder, interpreter);
      log.info(
          "loaded model {} ({}, {} thread(s)) from {}",
          manifest.name(),
          manifest.precision(),
          threads,
          file);
      return engine;
    } catch (ModelLoadException e) {
      closeAll(interpreter, builder, resolver, model);
      throw new ModelLoadException(file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public ModelManifest manifest() {
    return manifest;
  }

  @Override
  public float[] input(int index) {
    return inputs[index].values;
  }

  @Override
  public float[] output(int index) {
    return outputs[index].values;
  }

  @Override
  public void invoke() {
    if (closed) {
      throw new IllegalStateException("engine for " + manifest.name() + " is closed");
    }
    for (Port in : inputs) {
      in.copyIn();
    }
    long start = System.nanoTime();
    int status = interpreter.Invoke();
    lastInvokeNanos = System.nanoTime() - start;
    if (status != kTfLiteOk) {
      throw new InferenceException(
          "model " + manifest.name() + ": Invoke() failed, status " + status);
    }
    for (Port out : outputs) {
      out.copyOut();
    }
  }

  @Override
  public long lastInvokeNanos() {
    return lastInvokeNanos;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      closeAll(interpreter, builder, resolver, model);
    }
  }

  private Port[] ports(boolean input, List<TensorSpec> specs) {
    org.bytedeco.javacpp.IntPointer indices = input ? interpreter.inputs() : interpreter.outputs();
    int n = (int) (indices.limit() - indices.position());
    if (n != specs.size()) {
      throw new ModelLoadException(
          "model has "
              + n
              + (input ? " inputs" : " outputs")
              + ", manifest "
              + manifest.name()
              + " lists "
              + specs.size());
    }
    Port[] ports = new Port[n];
    for (int i = 0; i < n; i++) {
      TfLiteTensor tensor = input ? interpreter.input_tensor(i) : interpreter.output_tensor(i);
      int[] shape = shape(tensor.dims());
      List<Integer> expected = specs.get(i).shape();
      if (!Arrays.equals(shape, expected.stream().mapToInt(Integer::intValue).toArray())) {
        throw new ModelLoadException(
            (input ? "input " : "output ")
                + i
                + " has shape "
                + Arrays.toString(shape)
                + ", manifest "
                + manifest.name()
                + " says "
                + expected);
      }
      ports[i] = new Port(tensor, specs.get(i).elements());
    }
    return ports;
  }

  private static int[] shape(TfLiteIntArray dims) {
    int[] shape = new int[dims.size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = dims.data(i);
    }
    return shape;
  }

  private static void closeAll(org.bytedeco.javacpp.Pointer... pointers) {
    for (org.bytedeco.javacpp.Pointer p : pointers) {
      if (p != null) {
        p.close();
      }
    }
  }

  /** A tensor plus its Java-side float buffer; quantizes at the boundary for int8/uint8. */
  private static final class Port {
    final float[] values;
    final int type;
    final float scale;
    final int zeroPoint;
    final FloatPointer floats;
    final BytePointer bytes;
    final byte[] quantized;

    Port(TfLiteTensor tensor, int elements) {
      values = new float[elements];
      type = tensor.type();
      scale = tensor.params().scale();
      zeroPoint = tensor.params().zero_point();
      if (type == kTfLiteFloat32) {
        floats = tensor.data().f().capacity(elements);
        bytes = null;
        quantized = null;
      } else if (type == kTfLiteInt8 || type == kTfLiteUInt8) {
        floats = null;
        bytes = tensor.data().raw().capacity(elements);
        quantized = new byte[elements];
      } else {
        throw new ModelLoadException(
            "tensor "
                + tensor.name().getString()
                + " has unsupported type "
                + type
                + " (float32, int8, uint8 supported)");
      }
    }

    void copyIn() {
      if (floats != null) {
        floats.put(values, 0, values.length);
        return;
      }
      boolean signed = type == kTfLiteInt8;
      int lo = signed ? -128 : 0;
      int hi = signed ? 127 : 255;
      float inv = 1f / scale;
      for (int i = 0; i < values.length; i++) {
        int q = Math.round(values[i] * inv) + zeroPoint;
        quantized[i] = (byte) Math.min(hi, Math.max(lo, q));
      }
      bytes.put(quantized, 0, quantized.length);
    }

    void copyOut() {
      if (floats != null) {
        floats.get(values, 0, values.length);
        return;
      }
      bytes.get(quantized, 0, quantized.length);
      boolean signed = type == kTfLiteInt8;
      for (int i = 0; i < values.length; i++) {
        int q = signed ? quantized[i] : quantized[i] & 0xff;
        values[i] = (q - zeroPoint) * scale;
      }
    }
  }
}
