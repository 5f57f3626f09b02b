package io.edgecam.matcher.testing;

import io.edgecam.testing.Services;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium for browser tests: Debian's {@code /usr/bin/chromium} (never a browser
 * download) driven by Playwright's {@code playwright-core}, which is installed with npm once into
 * {@code ~/.cache/edgecam/}. Missing chromium, node or npm skips the test with the reason (fails
 * with {@code EDGECAM_REQUIRE_SERVICES=1}).
 */
public final class Browser {
  public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  public static final String PLAYWRIGHT_CORE = "playwright-core@1.65.1";

  /** The accessibility checker run in the console's browser tests (one file, injected). */
  public static final String AXE_CORE = "axe-core@4.14.1";

  private Browser() {}

  /**
   * Checks for chromium, node and npm, installs {@link #PLAYWRIGHT_CORE} if needed and returns its
   * {@code index.mjs}.
   */
  public static Path playwrightCore() throws IOException, InterruptedException {
    if (!Files.isExecutable(CHROMIUM)) {
      Services.unavailable(
          CHROMIUM + " not found: install Debian's chromium package (apt-get install chromium)");
    }
    for (String tool : List.of("node", "npm")) {
      if (!onPath(tool)) {
        Services.unavailable(
            tool + " not found on PATH: the browser test drives Chromium from Node");
      }
    }
    return npmPackage(PLAYWRIGHT_CORE, "playwright-core/index.mjs");
  }

  /** Installs {@link #AXE_CORE} if needed and returns its {@code axe.min.js}. */
  public static Path axeCore() throws IOException, InterruptedException {
    return npmPackage(AXE_CORE, "axe-core/axe.min.js");
  }

  /**
   * Installs the npm package {@code spec} (name@version) once into {@code ~/.cache/edgecam/} and
   * returns {@code file} (below node_modules) of it; skips the test if npm cannot.
   */
  private static Path npmPackage(String spec, String file)
      throws IOException, InterruptedException {
    Path home = Path.of(System.getProperty("user.home"), ".cache", "edgecam");
    Path dir = home.resolve(spec.replace('@', '-'));
    Path index = dir.resolve("node_modules").resolve(file);
    if (Files.exists(index)) {
      return index;
    }
    Files.createDirectories(home);
    Path tmp = Files.createTempDirectory(home, "npm-");
    Process p =
        new ProcessBuilder(
                "npm",
                "install",
                "--prefix",
                tmp.toString(),
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
                spec)
            .redirectErrorStream(true)
            .start();
    String log = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
      Services.unavailable("npm could not install " + spec + ": " + log.strip());
    }
    try {
      Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
      // another test run installed it meanwhile; use theirs
    }
    return index;
  }

  /** The module's build folder (target/ or what -Dedgecam.target names), for screenshots. */
  public static Path targetDir() {
    try {
      return Path.of(Browser.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .getParent();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean onPath(String tool) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String d : path.split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(d, tool))) {
        return true;
      }
    }
    return false;
  }
}
