package io.edgecam.ctl.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgecam.face.inference.ModelStore;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import picocli.CommandLine;

/** Given/when/then helpers: a device directory with a config, and a doctor run on it. */
final class DoctorRun {
  private static final ObjectMapper JSON = new ObjectMapper();

  final int exitCode;
  final String out;
  final String err;

  private DoctorRun(int exitCode, String out, String err) {
    this.exitCode = exitCode;
    this.out = out;
    this.err = err;
  }

  static DoctorRun doctor(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new DoctorCommand());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new DoctorRun(code, out.toString(), err.toString());
  }

  /** The line of check {@code name}. */
  String line(String name) {
    return out.lines()
        .filter(l -> l.length() > 5 && l.substring(5).startsWith(name + " "))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no '" + name + "' line in:\n" + out));
  }

  JsonNode json() throws IOException {
    return JSON.readTree(out);
  }

  void hasLine(String name, String status, String text) {
    assertThat(line(name)).as(out).startsWith(status).contains(text);
  }

  /** A device: config, a folder camera with one image, a state dir; models from the checkout. */
  static Path device(Path dir, String brokerUrl, String extraYaml) {
    return device(dir, brokerUrl, extraYaml, ModelStore.locate().dir());
  }

  static Path device(Path dir, String brokerUrl, String extraYaml, Path models) {
    try {
      Path frames = Files.createDirectories(dir.resolve("frames"));
      ImageIO.write(
          new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB),
          "png",
          frames.resolve("f1.png").toFile());
      Files.createDirectories(dir.resolve("state"));
      Path config = dir.resolve("agent.yaml");
      Files.writeString(
          config,
          "device: cam-1\nsite: lab\nstateDir: state\n"
              + "source:\n  type: folder\n  path: frames\n"
              + "pipeline:\n  models: "
              + models
              + "\n  precision: float\n"
              + "mqtt:\n  url: "
              + brokerUrl
              + "\n"
              + extraYaml);
      return config;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A copy of the checkout's models (manifests and files) that a test may damage. */
  static Path copyOfModels(Path dir) throws IOException {
    Path src = ModelStore.locate().dir();
    Path dst = dir.resolve("models");
    for (String sub : List.of("", "cache", "int8")) {
      Files.createDirectories(dst.resolve(sub));
      try (Stream<Path> files = Files.list(src.resolve(sub))) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          String n = f.getFileName().toString();
          if (n.endsWith(".json") || n.endsWith(".tflite")) {
            Files.copy(f, dst.resolve(sub).resolve(n));
          }
        }
      }
    }
    return dst;
  }
}
