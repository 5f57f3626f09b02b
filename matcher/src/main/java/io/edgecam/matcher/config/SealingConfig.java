package io.edgecam.matcher.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.edgecam.protocol.EdgecamException;
import io.edgecam.protocol.seal.CandidateOpener;
import io.edgecam.protocol.seal.SealingKeyPair;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Sealed candidates ({@code sealing} in matcher.yaml, docs/protocol.md section 7): the X25519
 * private keys that open them, and whether plain candidates are still accepted.
 *
 * @param privateKeys PEM private key files ({@code ./edgecam keys sealing} writes them), 1 or 2: a
 *     second key during rotation, while agents move to the new public key
 * @param required refuse plain (version-1) candidates, counted as malformed {@code unsealed}
 */
public record SealingConfig(List<Path> privateKeys, boolean required) {

  /** Binds the YAML form. */
  @JsonCreator
  public static SealingConfig fromYaml(
      @JsonProperty("privateKeys") @Nullable List<Path> privateKeys,
      @JsonProperty("required") @Nullable Boolean required) {
    return new SealingConfig(
        privateKeys == null ? List.of() : privateKeys, required != null && required);
  }

  public SealingConfig {
    if (privateKeys == null
        || privateKeys.isEmpty()
        || privateKeys.size() > CandidateOpener.MAX_KEYS) {
      throw new IllegalArgumentException(
          "sealing.privateKeys must list 1.."
              + CandidateOpener.MAX_KEYS
              + " key files, had "
              + (privateKeys == null ? 0 : privateKeys.size()));
    }
    for (Path p : privateKeys) {
      if (p == null) {
        throw new IllegalArgumentException("sealing.privateKeys must not contain null");
      }
    }
    privateKeys = List.copyOf(privateKeys);
  }

  /** A copy with relative key paths resolved against {@code base}. */
  SealingConfig resolve(Path base) {
    return new SealingConfig(privateKeys.stream().map(base::resolve).toList(), required);
  }

  /**
   * Reads the keys and builds the matcher's candidate decoder.
   *
   * @throws ConfigException naming the key file that is missing, unreadable or not a key
   */
  public CandidateOpener opener() {
    List<SealingKeyPair> keys = new ArrayList<>();
    for (int i = 0; i < privateKeys.size(); i++) {
      try {
        keys.add(SealingKeyPair.read(privateKeys.get(i)));
      } catch (EdgecamException e) {
        throw new ConfigException("sealing.privateKeys[" + i + "]: " + e.getMessage(), e);
      }
    }
    return CandidateOpener.of(keys, required);
  }
}
