package io.edgecam.agent.bench;

import io.edgecam.face.image.Frame;
import io.edgecam.face.image.Images;
import io.edgecam.face.pipeline.FacePipeline;
import io.edgecam.face.pipeline.FaceResult;
import java.util.List;
import java.util.Locale;

/**
 * Measures a pipeline on encoded frames: raw TFLite invoke time against the whole {@code
 * process(frame)} (decode excluded and included), on the same frames in one process.
 */
public final class PipelineBench {
  private final int warmup;
  private final int iterations;

  /**
   * @param warmup frames run before measuring; @param iterations frames measured
   */
  public PipelineBench(int warmup, int iterations) {
    if (warmup < 0 || iterations < 1) {
      throw new IllegalArgumentException(
          "warmup >= 0 and iterations >= 1 required, were " + warmup + ", " + iterations);
    }
    this.warmup = warmup;
    this.iterations = iterations;
  }

  /** Runs the pipeline over {@code encoded} (JPEG/PNG bytes) round-robin. */
  public BenchResult run(FacePipeline pipeline, List<byte[]> encoded) {
    if (encoded.isEmpty()) {
      throw new IllegalArgumentException("no frames to benchmark");
    }
    for (int i = 0; i < warmup; i++) {
      pipeline.process(Images.decode(encoded.get(i % encoded.size()), "frame " + i));
    }
    long decode = 0;
    long process = 0;
    long detInvoke = 0;
    long embInvoke = 0;
    long faces = 0;
    for (int i = 0; i < iterations; i++) {
      long t0 = System.nanoTime();
      Frame frame = Images.decode(encoded.get(i % encoded.size()), "frame " + i);
      long t1 = System.nanoTime();
      List<FaceResult> results = pipeline.process(frame);
      long t2 = System.nanoTime();
      decode += t1 - t0;
      process += t2 - t1;
      detInvoke += pipeline.lastDetectorInvokeNanos();
      embInvoke += pipeline.lastEmbedderInvokeNanos();
      faces += results.stream().filter(r -> r.embedding() != null).count();
    }
    double n = iterations;
    double det = detInvoke / n / 1e6;
    double emb = embInvoke / n / 1e6;
    double pipe = process / n / 1e6;
    double withDecode = (process + decode) / n / 1e6;
    return new BenchResult(
        pipeline.precision().chosen().name().toLowerCase(Locale.ROOT),
        pipeline.precision().detectorModel(),
        encoded.size(),
        iterations,
        faces / n,
        det,
        emb,
        det + emb,
        pipe,
        withDecode,
        1000 / pipe,
        1000 / withDecode,
        pipe / (det + emb));
  }
}
