package io.edgecam.agent.arm64;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgecam.agent.cli.DetectCommand;
import io.edgecam.agent.cli.EmbedCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.Loader;
import picocli.CommandLine;

/**
 * Runs the agent's real {@code detect --json} (all images) and {@code embed --json} (each image,
 * with MobileFaceNet and with {@code --embedder faceapi-resnet34}) commands in this JVM and writes
 * their outputs as one JSON object. {@link Arm64EmulationIT} starts it as a subprocess, on the host
 * JVM and on an arm64 JVM under qemu, with one classpath.
 *
 * <p>Usage: {@code FaceProbe OUT.json MODELS_DIR THREADS IMAGE...}. Exit code: that of the first
 * command that failed (its stderr is copied to ours), else 0.
 */
public final class FaceProbe {
  private FaceProbe() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 4) {
      System.err.println("usage: FaceProbe OUT.json MODELS_DIR THREADS IMAGE...");
      System.exit(2);
    }
    Path out = Path.of(args[0]);
    // Whole-frame detection: the tiled still-photo mode costs ~20 model runs per image, which
    // under emulation (~270x slower) proves nothing more about the arm64 natives.
    List<String> common =
        List.of(
            "--models",
            args[1],
            "--precision",
            "float",
            "--detector",
            "short",
            "--threads",
            args[2],
            "--json");
    List<String> images = Arrays.asList(args).subList(3, args.length);
    ObjectMapper json = new ObjectMapper();
    ObjectNode result = json.createObjectNode();
    result.put("os_arch", System.getProperty("os.arch"));
    result.put("javacpp_platform", Loader.getPlatform());

    long start = System.nanoTime();
    List<String> detectArgs = new ArrayList<>(common);
    detectArgs.addAll(images);
    result.set("detect", json.readTree(run(new DetectCommand(), detectArgs)));
    long detected = System.nanoTime();
    ArrayNode embeds = result.putArray("embed");
    for (String image : images) {
      List<String> embedArgs = new ArrayList<>(common);
      embedArgs.add(image);
      embeds.add(json.readTree(run(new EmbedCommand(), embedArgs)));
    }
    long embedded = System.nanoTime();
    ArrayNode resnet = result.putArray("embed_resnet34");
    for (String image : images) {
      List<String> embedArgs = new ArrayList<>(common);
      embedArgs.addAll(List.of("--embedder", "faceapi-resnet34", image));
      resnet.add(json.readTree(run(new EmbedCommand(), embedArgs)));
    }
    result.put("detect_ms", (detected - start) / 1_000_000);
    result.put("embed_ms", (embedded - detected) / 1_000_000);
    result.put("embed_resnet34_ms", (System.nanoTime() - embedded) / 1_000_000);
    Files.writeString(out, json.writerWithDefaultPrettyPrinter().writeValueAsString(result));
  }

  /** Runs one command as the launcher would; exits with its code if it failed. */
  private static String run(Object command, List<String> args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(command);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args.toArray(String[]::new));
    System.err.print(err);
    if (exit != 0) {
      System.err.println("FaceProbe: " + String.join(" ", args) + " exited " + exit);
      System.exit(exit);
    }
    return out.toString();
  }
}
