package io.edgecam.matcher.ingest;

import io.edgecam.protocol.Alert;

/** Persists an alert once per (device, sequence); see {@code MatcherStore#insertAlertOnce}. */
@FunctionalInterface
public interface AlertRecorder {
  /** Returns false if an alert for the same (device, sequence) already exists. */
  boolean recordOnce(Alert alert);
}
