package io.edgecam.face.scene;

import io.edgecam.face.detect.Detection;
import io.edgecam.face.image.Frame;

/**
 * A photo of one person and its main face, the source of the faces pasted into scenes.
 *
 * @param identity who it is (the folder name)
 * @param file the photo's file name
 * @param image the photo
 * @param face the main face's box in the photo (found by the detector on the full-size photo, where
 *     it is reliable)
 */
public record Portrait(String identity, String file, Frame image, Detection face) {
  public Portrait {
    if (identity == null || file == null || image == null || face == null) {
      throw new IllegalArgumentException("portrait: identity, file, image and face must be set");
    }
    if (!(face.width() >= 8 && face.height() >= 8)) {
      throw new IllegalArgumentException(file + ": face box too small: " + face);
    }
  }
}
