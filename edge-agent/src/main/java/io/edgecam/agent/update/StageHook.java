package io.edgecam.agent.update;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Called as a model update enters each {@link UpdateStage}. In production it does nothing. For
 * crash tests, the environment variable {@value #ENV} names a stage (download, verify, selftest,
 * swap): on reaching it the update thread writes {@code <updates>/paused-at-<stage>} and blocks
 * forever, so a test can kill -9 the process at exactly that point (no timing guesses).
 */
@FunctionalInterface
public interface StageHook {
  /** Environment variable naming the stage to pause at. */
  String ENV = "EDGECAM_UPDATE_PAUSE_AT";

  /** Does nothing. */
  StageHook NONE = stage -> {};

  /** Called on the update thread as a model update enters {@code stage}. */
  void reached(UpdateStage stage) throws InterruptedException;

  /** {@link #NONE}, or the pausing hook if {@value #ENV} is set in {@code env}. */
  static StageHook fromEnvironment(Map<String, String> env, Path updatesDir) {
    String at = env.get(ENV);
    if (at == null || at.isBlank()) {
      return NONE;
    }
    UpdateStage pauseAt = parse(at.trim());
    Logger log = LoggerFactory.getLogger(StageHook.class);
    log.warn("{}={}: model updates will pause at that stage (crash tests only)", ENV, at);
    return stage -> {
      if (stage == pauseAt) {
        try {
          Files.createDirectories(updatesDir);
          Files.write(updatesDir.resolve("paused-at-" + stage.label()), new byte[0]);
        } catch (IOException e) {
          log.warn("cannot write the pause marker: {}", e.getMessage());
        }
        log.warn("model update paused at {} ({})", stage.label(), ENV);
        new CountDownLatch(1).await();
      }
    };
  }

  private static UpdateStage parse(String label) {
    for (UpdateStage s : UpdateStage.values()) {
      if (s.label().equalsIgnoreCase(label)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        ENV + " must be one of download, verify, selftest, swap, was '" + label + "'");
  }
}
