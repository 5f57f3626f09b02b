package io.edgecam.agent.service;

import io.edgecam.agent.track.BestShot;

/**
 * Decides which best shots become candidates. The watchlist prefilter (cosine against the local
 * watchlist copy) comes with the updates issue; until then every best shot passes.
 */
@FunctionalInterface
public interface Prefilter {
  /** Passes everything. */
  Prefilter PASS_ALL = shot -> true;

  /** Whether {@code shot} should be sent. Called from the pipeline thread. */
  boolean accept(BestShot shot);
}
