package io.edgecam.agent.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.edgecam.face.inference.ModelLoadException;
import io.edgecam.face.inference.ModelManifest;

/**
 * Model manifests ({@code models/*.json}): {@link ModelManifest#parse} throws only {@link
 * ModelLoadException}.
 */
class ModelManifestFuzzTest {
  @FuzzTest(maxDuration = "60s")
  void parse(byte[] json) {
    try {
      ModelManifest m = ModelManifest.parse(json, "fuzz.json");
      m.wireTag();
      m.isDerived();
      m.derivedFromModel();
    } catch (ModelLoadException e) {
      if (!e.getMessage().startsWith("fuzz.json: ")) {
        throw new AssertionError("manifest error does not name the file: " + e.getMessage(), e);
      }
    }
  }
}
