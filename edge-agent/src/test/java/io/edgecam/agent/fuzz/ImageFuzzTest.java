package io.edgecam.agent.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.edgecam.face.image.Frame;
import io.edgecam.face.image.ImageDecodeException;
import io.edgecam.face.image.Images;

/**
 * The agent's image decode path (folder camera, enrollment): {@link Images#decode} throws nothing
 * but {@link ImageDecodeException}, whatever the bytes claim (sizes, EXIF, truncation).
 */
class ImageFuzzTest {
  @FuzzTest(maxDuration = "60s")
  void decode(byte[] bytes) {
    try {
      Frame f = Images.decode(bytes, "fuzz.jpg");
      if (f.width() <= 0 || f.height() <= 0) {
        throw new AssertionError("decoded an empty frame " + f.width() + "x" + f.height());
      }
    } catch (ImageDecodeException e) {
      if (!e.getMessage().startsWith("fuzz.jpg: ")) {
        throw new AssertionError("image error does not name the file: " + e.getMessage(), e);
      }
    }
  }
}
