package io.edgecam.fleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.edgecam.face.inference.ModelManifest;
import io.edgecam.face.pipeline.PipelineConfig;
import io.edgecam.face.pipeline.Precision;
import io.edgecam.matcher.calibration.Calibration;
import io.edgecam.matcher.calibration.PairScores;
import io.edgecam.matcher.calibration.ScoreTail;
import io.edgecam.matcher.enroll.ImageEmbedder;
import io.edgecam.matcher.enroll.PipelineImageEmbedder;
import io.edgecam.protocol.EdgecamException;
import io.edgecam.protocol.Int8Embedding;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code edgecam model calibrate DIR --manifest FILE}: embeds every image of {@code
 * DIR/<identity>/} with the manifest's embedder (and its precision), scores every pair as the
 * matcher does, and writes the counts into the manifest's {@code calibration} object
 * (docs/matcher.md, "Operating point"). The images are needed only here: the matcher reads the
 * counts.
 */
@Command(
    name = "calibrate",
    mixinStandardHelpOptions = true,
    description =
        "Measure an embedder's impostor and genuine scores on photos of known people"
            + " (DIR/<identity>/<image>) and write them into its manifest's calibration object.")
final class CalibrateCommand implements Callable<Integer> {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "DIR", description = "One folder per identity, holding its images.")
  Path dir;

  @Option(
      names = "--manifest",
      required = true,
      paramLabel = "FILE",
      description = "Embedder manifest (models/<name>.json) to calibrate and update.")
  Path manifest;

  @Option(
      names = "--describe",
      paramLabel = "TEXT",
      description = "Where the images come from (stored with the counts; default: DIR's path).")
  String describe;

  @Option(names = "--dry-run", description = "Print the figures; leave the manifest alone.")
  boolean dryRun;

  @Override
  public Integer call() throws IOException {
    CommandLine cl = spec.commandLine();
    if (!Files.isDirectory(dir)) {
      throw new CommandLine.ParameterException(cl, "DIR " + dir + ": not a directory");
    }
    ModelManifest m;
    try {
      m = ModelManifest.read(manifest);
    } catch (EdgecamException e) {
      throw new CommandLine.ParameterException(cl, "--manifest: " + e.getMessage());
    }
    if (!"embedder".equals(m.kind())) {
      throw new CommandLine.ParameterException(
          cl, "--manifest " + manifest + ": kind is " + m.kind() + ", not embedder");
    }
    Precision precision = "int8".equals(m.precision()) ? Precision.INT8 : Precision.FLOAT;
    Path models = manifest.toAbsolutePath().getParent();
    PrintWriter out = cl.getOut();
    Map<String, List<Int8Embedding>> faces = new LinkedHashMap<>();
    int images = 0;
    List<String> skipped = new ArrayList<>();
    try (ImageEmbedder embedder =
        PipelineImageEmbedder.open(
            PipelineConfig.defaults().withModelsDir(models).withPrecision(precision))) {
      for (Path identity : sorted(dir)) {
        if (!Files.isDirectory(identity)) {
          continue;
        }
        List<Int8Embedding> own = new ArrayList<>();
        for (Path image : sorted(identity)) {
          if (!Files.isRegularFile(image)) {
            continue;
          }
          images++;
          ImageEmbedder.FaceEmbedding f = embedder.embedBest(image);
          if (f.vector() == null) {
            skipped.add(dir.relativize(image) + " (" + f.problem() + ")");
          } else {
            own.add(Int8Embedding.quantize(f.vector()));
          }
        }
        if (!own.isEmpty()) {
          faces.put(identity.getFileName().toString(), own);
        }
      }
    }
    int used = faces.values().stream().mapToInt(List::size).sum();
    String source = describe != null ? describe : dir.toString();
    Calibration c =
        PairScores.calibrate(
            faces,
            manifest.toString(),
            m.wireTag(),
            String.format(
                Locale.ROOT,
                "%s: %d images of %d identities embedded (%d of %d images had no usable face)",
                source,
                used,
                faces.size(),
                images - used,
                images),
            "edgecam model calibrate DIR --manifest "
                + manifest.getFileName()
                + " ("
                + m.precision()
                + " pipeline, "
                + LocalDate.now(ZoneOffset.UTC)
                + ")");
    skipped.forEach(s -> out.println("skipped " + s));
    printSummary(out, c);
    if (!dryRun) {
      write(manifest, c);
      out.println("wrote the calibration into " + manifest);
    }
    out.flush();
    return 0;
  }

  private static void printSummary(PrintWriter out, Calibration c) {
    out.printf(
        Locale.ROOT,
        "%s: %d impostor pairs, %d genuine pairs%n",
        c.images(),
        c.impostors().pairs(),
        c.genuinePairs());
    out.println("threshold  impostors>=  FMR bound (95%)  genuine miss rate");
    for (int i = 30; i < ScoreTail.POINTS; i += 5) {
      out.printf(
          Locale.ROOT,
          "%9.2f  %11d  %15.2e  %17.3f%n",
          ScoreTail.threshold(i),
          c.impostors().atOrAbove(i),
          c.impostors().fmrBound(i),
          c.fnmr(i));
    }
  }

  /** Sets (or replaces) the manifest's last key {@code calibration}, keeping the rest's layout. */
  static void write(Path manifest, Calibration c) throws IOException {
    String text = Files.readString(manifest, StandardCharsets.UTF_8);
    String body = JSON.writeValueAsString(c.toJson()).replace("\n", "\n  ");
    int at = text.indexOf(",\n  \"calibration\":");
    String head = at >= 0 ? text.substring(0, at) : text.substring(0, text.lastIndexOf('}'));
    head = head.stripTrailing();
    String updated = head + ",\n  \"calibration\": " + compactArrays(body) + "\n}\n";
    JsonNode check = JSON.readTree(updated);
    if (check == null || !check.has("calibration")) {
      throw new IOException(manifest + ": could not place the calibration object");
    }
    Files.writeString(manifest, updated, StandardCharsets.UTF_8);
  }

  /** One line per count array instead of one line per count. */
  private static String compactArrays(String json) {
    StringBuilder sb = new StringBuilder();
    boolean inArray = false;
    for (String line : json.split("\n", -1)) {
      String t = line.strip();
      if (t.endsWith("[")) {
        inArray = true;
        sb.append(line);
      } else if (inArray && (t.startsWith("]"))) {
        inArray = false;
        sb.append(t).append('\n');
      } else if (inArray) {
        sb.append(t.endsWith(",") ? t + " " : t);
      } else {
        sb.append(line).append('\n');
      }
    }
    return sb.toString().stripTrailing();
  }

  private static List<Path> sorted(Path folder) throws IOException {
    try (Stream<Path> s = Files.list(folder)) {
      return s.sorted().toList();
    }
  }
}
