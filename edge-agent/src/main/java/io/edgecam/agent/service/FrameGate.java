package io.edgecam.agent.service;

/**
 * Decides, frame by frame, whether the agent analyzes what the camera delivers (e.g. only while a
 * PIR sensor sees motion). Frames it refuses are still read from the source, so a live stream stays
 * open and the first frame after a wake-up is current, but they are not analyzed: no detection, no
 * embedding, no candidate. Called on the {@code edgecam-pipeline} thread for every frame; must be
 * fast and thread-safe.
 */
@FunctionalInterface
public interface FrameGate {

  /** Analyzes every frame: the agent without a motion sensor. */
  FrameGate OPEN = () -> true;

  /** Whether the frame read now is to be analyzed. */
  boolean admit();
}
