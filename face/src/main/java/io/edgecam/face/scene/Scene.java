package io.edgecam.face.scene;

import io.edgecam.face.image.Frame;
import java.util.List;

/**
 * One generated frame and the faces in it.
 *
 * @param name e.g. {@code 1920x1080-degraded-003}
 * @param frame the image
 * @param degraded whether blur, noise and JPEG were applied
 * @param faces ground truth
 */
public record Scene(String name, Frame frame, boolean degraded, List<SceneFace> faces) {
  public Scene {
    faces = List.copyOf(faces);
  }
}
