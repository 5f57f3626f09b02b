package io.edgecam.face.embed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.edgecam.face.align.AlignedFace;
import io.edgecam.face.align.FaceAligner;
import io.edgecam.face.image.Frame;
import io.edgecam.face.image.Images;
import io.edgecam.face.image.TestData;
import io.edgecam.face.inference.ModelStore;
import io.edgecam.face.pipeline.DetectorKind;
import io.edgecam.face.pipeline.FacePipeline;
import io.edgecam.face.pipeline.FaceResult;
import io.edgecam.face.pipeline.PipelineConfig;
import io.edgecam.face.pipeline.Precision;
import io.edgecam.face.quality.QualityThresholds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleBinaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rebuilt face-api ResNet-34 (models/faceapi) against MobileFaceNet on every genuine and
 * impostor pair of ../shared/data/faces, through the Java pipeline (short-range detector, each
 * face's keypoints aligned to each model's template), plus score-level fusion of the two. Writes
 * all figures to {@code target/embedder-comparison.json} (docs/accuracy.md quotes them).
 */
class FaceApiEmbedderIT {
  private static final List<String> identities = new ArrayList<>();
  private static final List<float[]> mfn = new ArrayList<>();
  private static final List<float[]> r34 = new ArrayList<>();
  private static final List<float[]> r34int8 = new ArrayList<>();
  private static final Map<String, Object> report = new LinkedHashMap<>();
  private static final List<String> missed = new ArrayList<>();
  private static final long[][] invokeNanos = new long[3][];

  @BeforeAll
  static void embedEveryFace() throws IOException {
    Path faces = TestData.sharedData().resolve("faces");
    List<Path> images;
    try (Stream<Path> s = Files.walk(faces, 2)) {
      images =
          s.filter(p -> p.getFileName().toString().matches("(?i).*\\.(jpe?g|png)"))
              .sorted()
              .toList();
    }
    ModelStore store = ModelStore.at(TestData.models());
    FaceInput in = FaceInput.FACEAPI_RESNET34;
    FaceAligner aligner = new FaceAligner(in.template(), in.size());
    AlignedFace chip = new AlignedFace(in.size());
    List<Long> tMfn = new ArrayList<>();
    List<Long> tR34 = new ArrayList<>();
    List<Long> tR34int8 = new ArrayList<>();
    try (FacePipeline pipeline =
            FacePipeline.open(
                PipelineConfig.defaults()
                    .withPrecision(Precision.FLOAT)
                    .withDetector(DetectorKind.SHORT)
                    .withQuality(QualityThresholds.OFF),
                store);
        FaceEmbedder resnet = new FaceEmbedder(store.open("faceapi-resnet34", 2), in, true);
        FaceEmbedder resnetInt8 =
            new FaceEmbedder(store.open("faceapi-resnet34-int8", 2), in, true)) {
      for (Path image : images) {
        Frame frame = Images.read(image);
        FaceResult face = pipeline.best(frame);
        if (face == null) {
          missed.add(faces.relativize(image).toString());
          continue;
        }
        identities.add(image.getParent().getFileName().toString());
        mfn.add(face.embedding());
        tMfn.add(pipeline.lastEmbedderInvokeNanos());
        aligner.align(frame, face.detection(), chip);
        r34.add(resnet.embed(chip));
        tR34.add(resnet.lastInvokeNanos());
        r34int8.add(resnetInt8.embed(chip));
        tR34int8.add(resnetInt8.lastInvokeNanos());
      }
    }
    invokeNanos[0] = tMfn.stream().mapToLong(Long::longValue).toArray();
    invokeNanos[1] = tR34.stream().mapToLong(Long::longValue).toArray();
    invokeNanos[2] = tR34int8.stream().mapToLong(Long::longValue).toArray();
  }

  /** Cosine scores of every pair: [0] genuine, [1] impostor, each pair scored by {@code fuse}. */
  private static double[][] scores(List<Integer> subset, DoubleBinaryOperator fuse) {
    List<Double> gen = new ArrayList<>();
    List<Double> imp = new ArrayList<>();
    for (int x = 0; x < subset.size(); x++) {
      for (int y = x + 1; y < subset.size(); y++) {
        int i = subset.get(x);
        int j = subset.get(y);
        double s =
            fuse.applyAsDouble(
                Vectors.cosine(mfn.get(i), mfn.get(j)), Vectors.cosine(r34.get(i), r34.get(j)));
        (identities.get(i).equals(identities.get(j)) ? gen : imp).add(s);
      }
    }
    return new double[][] {
      gen.stream().mapToDouble(Double::doubleValue).toArray(),
      imp.stream().mapToDouble(Double::doubleValue).toArray()
    };
  }

  private static List<Integer> faces(int parity) {
    List<String> ids = identities.stream().distinct().sorted().toList();
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < identities.size(); i++) {
      if (parity < 0 || ids.indexOf(identities.get(i)) % 2 == parity) {
        out.add(i);
      }
    }
    return out;
  }

  private static Map<String, Object> figures(double[][] s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("genuinePairs", s[0].length);
    m.put("impostorPairs", s[1].length);
    m.put("auc", PairFigures.auc(s[0], s[1]));
    m.put("genuineMean", Arrays.stream(s[0]).average().orElse(Double.NaN));
    m.put("impostorMean", Arrays.stream(s[1]).average().orElse(Double.NaN));
    m.put("impostorMax", Arrays.stream(s[1]).max().orElse(Double.NaN));
    m.put("genuineMin", Arrays.stream(s[0]).min().orElse(Double.NaN));
    m.put("fnmrAtFmr1e-2", PairFigures.fnmrAtFmr(s[0], s[1], 1e-2));
    m.put("fnmrAtFmr1e-3", PairFigures.fnmrAtFmr(s[0], s[1], 1e-3));
    m.put("fmrAtFnmr1%", PairFigures.fmrAtFnmr(s[0], s[1], 0.01));
    m.put("fmrAtFnmr5%", PairFigures.fmrAtFnmr(s[0], s[1], 0.05));
    return m;
  }

  private static double[] impostorMeanSd(List<Integer> subset, DoubleBinaryOperator pick) {
    double[] imp = scores(subset, pick)[1];
    double mean = Arrays.stream(imp).average().orElseThrow();
    double var = Arrays.stream(imp).map(v -> (v - mean) * (v - mean)).sum() / (imp.length - 1);
    return new double[] {mean, Math.sqrt(var)};
  }

  private static double medianMs(long[] nanos) {
    long[] s = nanos.clone();
    Arrays.sort(s);
    return s[s.length / 2] / 1e6;
  }

  @Test
  void resnetSeparatesGenuineFromImpostorPairsAtLeastAsWellAsMobileFaceNet() throws IOException {
    assertThat(missed).as("faces the short-range detector missed").hasSizeLessThan(5);
    List<Integer> all = faces(-1);
    double[][] m = scores(all, (a, b) -> a);
    double[][] r = scores(all, (a, b) -> b);
    // z-normalised sum: each model's impostor mean and sd on the calibration identities only
    double[] zm = impostorMeanSd(faces(0), (a, b) -> a);
    double[] zr = impostorMeanSd(faces(0), (a, b) -> b);
    DoubleBinaryOperator z = (a, b) -> ((a - zm[0]) / zm[1] + (b - zr[0]) / zr[1]) / 2;
    report.put("data", "../shared/data/faces, every pair; short-range detector, float models");
    report.put("faces", identities.size());
    report.put("identities", identities.stream().distinct().count());
    report.put("missed", missed);
    report.put("mobilefacenet", figures(m));
    report.put("faceapiResnet34", figures(r));
    report.put("fusionMeanCosine", figures(scores(all, (a, b) -> (a + b) / 2)));
    report.put("fusionZ", figures(scores(all, z)));
    report.put("fusionZParameters", Map.of("mobilefacenet", zm, "faceapiResnet34", zr));
    report.put("heldOutMobilefacenet", figures(scores(faces(1), (a, b) -> a)));
    report.put("heldOutFaceapiResnet34", figures(scores(faces(1), (a, b) -> b)));
    report.put("heldOutFusionZ", figures(scores(faces(1), z)));
    Map<String, Object> speed = new LinkedHashMap<>();
    speed.put("what", "median raw Invoke() per face (batch 2: face + mirror), 2 threads, same run");
    speed.put("mobilefacenetMs", medianMs(invokeNanos[0]));
    speed.put("faceapiResnet34Ms", medianMs(invokeNanos[1]));
    speed.put("faceapiResnet34Int8Ms", medianMs(invokeNanos[2]));
    speed.put("ratioResnet34ToMobilefacenet", medianMs(invokeNanos[1]) / medianMs(invokeNanos[0]));
    report.put("speed", speed);
    double[] agree = new double[r34.size()];
    for (int i = 0; i < agree.length; i++) {
      agree[i] = Vectors.cosine(r34.get(i), r34int8.get(i));
    }
    Arrays.sort(agree);
    report.put("int8VsFloatCosine", Map.of("min", agree[0], "median", agree[agree.length / 2]));
    Path out = TestData.root().resolve("face/target/embedder-comparison.json");
    Files.createDirectories(out.getParent());
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), report);
    System.out.println("embedder comparison written to " + out);

    assertThat(r[0].length).as("genuine pairs").isGreaterThan(100);
    assertThat(r[1].length).as("impostor pairs").isGreaterThan(1000);
    double gapR = mean(r[0]) - mean(r[1]);
    assertThat(gapR).as("ResNet-34 genuine - impostor mean cosine").isGreaterThan(0.08);
    assertThat(PairFigures.auc(r[0], r[1])).isGreaterThan(0.9995);
    PairFigures.AtFmr atR = PairFigures.fnmrAtFmr(r[0], r[1], 1e-3);
    PairFigures.AtFmr atM = PairFigures.fnmrAtFmr(m[0], m[1], 1e-3);
    assertThat(atR.fnmr()).as("ResNet-34 FNMR at FMR <= 1e-3").isLessThanOrEqualTo(0.02);
    assertThat(atR.fnmr()).as("not worse than MobileFaceNet").isLessThanOrEqualTo(atM.fnmr());
    assertThat(PairFigures.fmrAtFnmr(r[0], r[1], 0.01).impostorsAccepted())
        .as("ResNet-34 impostors at FNMR 1%")
        .isLessThan(PairFigures.fmrAtFnmr(m[0], m[1], 0.01).impostorsAccepted());
    assertThat(agree[0]).as("int8 vs float cosine, worst face").isGreaterThan(0.99);
  }

  private static double mean(double[] v) {
    return Arrays.stream(v).average().orElseThrow();
  }
}
