package io.edgecam.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgecam.testing.Services;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The .deb packages this module builds, read with {@code dpkg-deb} as apt would: control fields,
 * file lists, conffiles, maintainer scripts, and every native library's CPU (ELF e_machine), inside
 * the jars too. The amd64 agent package also runs {@code edgecam doctor} from its own unpacked
 * files (real TFLite inference on the doctor's golden face).
 */
class DebPackagesIT {
  private static final Map<String, Integer> ELF_MACHINE = Map.of("amd64", 0x3E, "arm64", 0xB7);
  private static final String LIB = "./usr/share/edgecam/lib/";

  private static Path debs;

  @TempDir Path tmp;

  @BeforeAll
  static void packages() {
    debs = Path.of(System.getProperty("edgecam.deb.dir", "target/deb"));
    if (!Files.isExecutable(Path.of("/usr/bin/dpkg-deb")) || !Files.isDirectory(debs)) {
      String reason = "no dpkg-deb here, so no .deb packages were built (" + debs + ")";
      Services.unavailable(reason);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "edgecam-agent:amd64",
        "edgecam-agent:arm64",
        "edgecam-matcher:amd64",
        "edgecam-matcher:arm64"
      })
  void controlFieldsNameTheArchitectureAndAJava17Runtime(String which) throws Exception {
    Path deb = deb(which);
    String pkg = which.split(":")[0];
    String arch = which.split(":")[1];

    String info = run("dpkg-deb", "--info", deb.toString());

    assertThat(field(deb, "Package")).isEqualTo(pkg);
    assertThat(field(deb, "Architecture")).isEqualTo(arch);
    assertThat(field(deb, "Depends"))
        .isEqualTo("openjdk-17-jre-headless | java17-runtime-headless, adduser");
    assertThat(field(deb, "Conflicts"))
        .isEqualTo(pkg.equals("edgecam-agent") ? "edgecam-matcher" : "edgecam-agent");
    assertThat(field(deb, "Version")).matches("\\d+\\.\\d+\\.\\d+(~SNAPSHOT)?");
    assertThat(info).contains("conffiles", "postinst", "prerm", "postrm");
  }

  @ParameterizedTest
  @ValueSource(strings = {"amd64", "arm64"})
  void agentPackageHoldsTheAgentItsUnitAndOnlyItsArchitecturesNatives(String arch)
      throws Exception {
    Path deb = deb("edgecam-agent:" + arch);
    List<String> files = contents(deb);
    String mine = arch.equals("amd64") ? "linux-x86_64" : "linux-arm64";
    String other = arch.equals("amd64") ? "linux-arm64" : "linux-x86_64";

    assertThat(files)
        .contains(
            "./usr/bin/edgecam",
            "./lib/systemd/system/edgecam-agent.service",
            "./etc/edgecam/agent.yaml",
            "./usr/share/edgecam/models/cache/blazeface-short-range.tflite",
            "./usr/share/edgecam/models/int8/mobilefacenet-int8.tflite",
            "./usr/share/edgecam/models/faceapi/faceapi-resnet34.tflite",
            "./usr/share/edgecam/models/faceapi/faceapi-resnet34-int8.tflite",
            "./usr/share/edgecam/models/faceapi/NOTICE",
            "./usr/share/doc/edgecam-agent/operations.md",
            "./usr/share/doc/edgecam-agent/gpio.md",
            "./usr/share/doc/edgecam-agent/examples/agent-pi-csi.yaml",
            "./usr/share/doc/edgecam-agent/examples/agent.schema.json")
        .anyMatch(f -> f.matches("\\./usr/share/edgecam/lib/pi4j-plugin-gpiod-.*\\.jar"))
        .anyMatch(f -> f.matches("\\./usr/share/edgecam/lib/edge-agent-.*\\.jar"))
        .anyMatch(f -> f.equals(LIB + "tensorflow-lite-2.18.0-1.5.11-" + mine + ".jar"))
        .anyMatch(f -> f.equals(LIB + "ffmpeg-7.1-1.5.11-" + mine + ".jar"))
        .noneMatch(f -> f.contains(other))
        .noneMatch(
            f ->
                f.contains("/matcher-")
                    || f.contains("/fleet-")
                    || f.contains("hivemq")
                    || f.contains("bcprov"))
        .noneMatch(f -> f.contains("jfree")) // eval's plotting: maintainer tooling
        .noneMatch(f -> f.contains("samples"));
    assertThat(conffiles(deb)).isEqualTo("/etc/edgecam/agent.yaml\n");
    assertOnlyNativesFor(deb, arch, true);
  }

  @ParameterizedTest
  @ValueSource(strings = {"amd64", "arm64"})
  void matcherPackageHoldsTheMatcherItsUnitAndTheBrokerConfig(String arch) throws Exception {
    Path deb = deb("edgecam-matcher:" + arch);
    List<String> files = contents(deb);
    String other = arch.equals("amd64") ? "linux-arm64" : "linux-x86_64";

    assertThat(files)
        .contains(
            "./usr/bin/edgecam",
            "./lib/systemd/system/edgecam-matcher.service",
            "./etc/edgecam/matcher.yaml",
            "./usr/share/doc/edgecam-matcher/examples/edgecam.conf",
            "./usr/share/doc/edgecam-matcher/examples/edgecam.acl",
            "./usr/share/doc/edgecam-matcher/examples/matcher.schema.json")
        .anyMatch(f -> f.matches("\\./usr/share/edgecam/lib/matcher-.*\\.jar"))
        .anyMatch(f -> f.matches("\\./usr/share/edgecam/lib/edgectl-.*\\.jar"))
        .noneMatch(f -> f.endsWith("-" + other + ".jar"));
    assertThat(conffiles(deb)).isEqualTo("/etc/edgecam/matcher.yaml\n");
    // Only the bytedeco natives are per-architecture jars; HiveMQ's RocksDB and JNA carry all
    // platforms in one jar, so they are not checked here.
    assertOnlyNativesFor(deb, arch, false);
  }

  @ParameterizedTest
  @ValueSource(strings = {"edgecam-agent:arm64", "edgecam-matcher:amd64"})
  void maintainerScriptsAreCompleteAndPassShellSyntaxCheck(String which) throws Exception {
    Path control = tmp.resolve("control");
    run("dpkg-deb", "--control", deb(which).toString(), control.toString());

    for (String script : List.of("postinst", "prerm", "postrm")) {
      Path f = control.resolve(script);
      assertThat(Files.isExecutable(f)).as(script).isTrue();
      assertThat(Files.readString(f)).as(script).doesNotContain("@").startsWith("#!/bin/sh\n");
      run("sh", "-n", f.toString());
    }
    assertThat(Files.readString(control.resolve("postinst")))
        .contains("adduser --system", "install -d -m 0700 -o edgecam -g edgecam /var/lib/edgecam-");
  }

  @Test
  void amd64AgentPackageRunsTheDoctorFromItsOwnFilesWithoutTheMatcher() throws Exception {
    Path root = tmp.resolve("root");
    run("dpkg-deb", "-x", deb("edgecam-agent:amd64").toString(), root.toString());
    Path home = root.resolve("usr/share/edgecam");
    Files.createDirectories(tmp.resolve("frames"));
    Files.createDirectories(tmp.resolve("state"));
    Path config = tmp.resolve("agent.yaml");
    Files.writeString(
        config,
        "device: cam-1\nsite: s\nstateDir: state\nsource:\n  type: folder\n  path: frames\n"
            + "pipeline:\n  precision: float\nmqtt:\n  url: tcp://127.0.0.1:1\n");

    String help = java(home, "--help");
    String doctor = java(home, "doctor", "--config", config.toString(), "--json");

    assertThat(help).contains("agent", "doctor", "detect").doesNotContain("provision", "enroll");
    assertThat(help).doesNotContainPattern("(?m)^\\s+eval\\s");
    JsonNode checks = new ObjectMapper().readTree(doctor).get("checks");
    for (String name : List.of("config", "models", "inference")) {
      JsonNode c = find(checks, name);
      assertThat(c.get("status").asText()).as(c.toString()).isEqualTo("OK");
    }
    assertThat(find(checks, "models").get("detail").asText())
        .contains(home.resolve("models").toString());
  }

  /** Every ELF file in the package, and in its jars, is for {@code arch}'s CPU. */
  private void assertOnlyNativesFor(Path deb, String arch, boolean all) throws Exception {
    Path root = tmp.resolve("x-" + arch);
    run("dpkg-deb", "-x", deb.toString(), root.toString());
    int expected = ELF_MACHINE.get(arch);
    List<String> elves = new ArrayList<>();
    List<String> foreign = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path f : walk.filter(Files::isRegularFile).toList()) {
        String name = f.getFileName().toString();
        boolean perArch = name.endsWith("-linux-x86_64.jar") || name.endsWith("-linux-arm64.jar");
        if (name.endsWith(".jar") && (all || perArch)) {
          scanJar(f, expected, elves, foreign);
        } else if (!name.endsWith(".jar")) {
          checkElf(f.toString(), Files.readAllBytes(f), expected, elves, foreign);
        }
      }
    }
    assertThat(foreign).as("native libraries for another CPU in %s", deb.getFileName()).isEmpty();
    assertThat(elves).as("native libraries in %s", deb.getFileName()).isNotEmpty();
  }

  private static void scanJar(Path jar, int expected, List<String> elves, List<String> foreign)
      throws IOException {
    try (ZipInputStream z = new ZipInputStream(Files.newInputStream(jar))) {
      for (ZipEntry e = z.getNextEntry(); e != null; e = z.getNextEntry()) {
        if (!e.isDirectory()) {
          byte[] head = z.readNBytes(20);
          checkElf(jar.getFileName() + "!" + e.getName(), head, expected, elves, foreign);
        }
      }
    }
  }

  private static void checkElf(
      String name, byte[] b, int expected, List<String> elves, List<String> foreign) {
    if (b.length < 20 || b[0] != 0x7f || b[1] != 'E' || b[2] != 'L' || b[3] != 'F') {
      return;
    }
    int machine = (b[18] & 0xff) | (b[19] & 0xff) << 8; // little-endian e_machine
    elves.add(name);
    if (machine != expected) {
      foreign.add(name + " (e_machine 0x" + Integer.toHexString(machine) + ")");
    }
  }

  private String java(Path home, String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dedgecam.home=" + home,
                "-cp",
                home.resolve("lib") + "/*",
                "io.edgecam.ctl.EdgecamCli"));
    cmd.addAll(List.of(args));
    Process p =
        new ProcessBuilder(cmd)
            .directory(tmp.toFile())
            .redirectError(tmp.resolve("err.txt").toFile())
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(out).as("stderr: %s", Files.readString(tmp.resolve("err.txt"))).isNotBlank();
    return out;
  }

  private static JsonNode find(JsonNode checks, String name) {
    for (JsonNode c : checks) {
      if (c.get("name").asText().equals(name)) {
        return c;
      }
    }
    throw new AssertionError("no check " + name + " in " + checks);
  }

  private static Path deb(String which) throws IOException {
    String pkg = which.split(":")[0];
    String arch = which.split(":")[1];
    try (Stream<Path> files = Files.list(debs)) {
      List<Path> found =
          files
              .filter(f -> f.getFileName().toString().matches(pkg + "_.*_" + arch + "\\.deb"))
              .toList();
      assertThat(found).as("%s_*_%s.deb in %s", pkg, arch, debs).hasSize(1);
      return found.get(0);
    }
  }

  private static String field(Path deb, String name) throws Exception {
    return run("dpkg-deb", "--field", deb.toString(), name).strip();
  }

  private static List<String> contents(Path deb) throws Exception {
    return run("dpkg-deb", "--contents", deb.toString())
        .lines()
        .map(l -> l.substring(l.lastIndexOf(' ') + 1))
        .toList();
  }

  private String conffiles(Path deb) throws Exception {
    Path control = Files.createTempDirectory(tmp, "ctl");
    Files.delete(control);
    run("dpkg-deb", "--control", deb.toString(), control.toString());
    return Files.readString(control.resolve("conffiles"));
  }

  private static String run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out;
    try (InputStream in = p.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(p.waitFor()).as("%s:%n%s", String.join(" ", cmd), out).isZero();
    return out;
  }
}
