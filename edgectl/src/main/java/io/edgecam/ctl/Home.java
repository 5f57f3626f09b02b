package io.edgecam.ctl;

import io.edgecam.protocol.EdgecamException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the edgecam installation (the folder that holds {@code models/}). */
public final class Home {
  private Home() {}

  /**
   * {@code -Dedgecam.home} (set by the launcher), else {@code EDGECAM_HOME}, else {@code
   * -Dedgecam.root} (set by the build for tests), else the nearest folder above the working
   * directory with a {@code models/} folder.
   */
  public static Path locate() {
    for (String candidate :
        new String[] {
          System.getProperty("edgecam.home"),
          System.getenv("EDGECAM_HOME"),
          System.getProperty("edgecam.root")
        }) {
      if (candidate != null && !candidate.isBlank()) {
        return Path.of(candidate).toAbsolutePath();
      }
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("models"))) {
        return dir;
      }
    }
    throw new EdgecamException(
        "cannot find the edgecam folder (with models/): run ./edgecam from the checkout or set EDGECAM_HOME");
  }
}
