package io.edgecam.face.detect;

import io.edgecam.face.image.Frame;
import java.util.List;

/** Detects faces in a region of a frame (may extend past the image: edge-replicated). */
@FunctionalInterface
interface RegionDetector {
  List<Detection> detect(Frame frame, float x, float y, float width, float height);
}
