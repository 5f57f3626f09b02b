package io.edgecam.face.image;

import io.edgecam.testing.Services;
import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the checkout's models and the shared test images for tests. */
public final class TestData {
  private TestData() {}

  /** The checkout root (system property {@code edgecam.root}, set by the build). */
  public static Path root() {
    String root = System.getProperty("edgecam.root");
    if (root != null) {
      return Path.of(root);
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.exists(p.resolve("models").resolve("fetch"))) {
        return p;
      }
    }
    throw new IllegalStateException("edgecam.root not set and no checkout above the cwd");
  }

  /** The checkout's models directory. */
  public static Path models() {
    return root().resolve("models");
  }

  /**
   * {@code ../shared/data}; the calling test is skipped (with the reason) when it is absent, or
   * fails when {@code EDGECAM_REQUIRE_SERVICES=1}.
   */
  public static Path sharedData() {
    Path data = root().resolve("..").resolve("shared").resolve("data").normalize();
    boolean present = Files.isDirectory(data.resolve("faces"));
    if (!present) {
      Services.unavailable("shared test images not found at " + data);
    }
    return data;
  }
}
