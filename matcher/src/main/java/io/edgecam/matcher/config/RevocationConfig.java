package io.edgecam.matcher.config;

import java.nio.file.Path;

/**
 * The fleet's signed list of revoked device and matcher ids ({@code broker.external.revocation} in
 * matcher.yaml): {@code revoked.json} as {@code ./edgecam ca revoke} writes it, verified with the
 * fleet CA certificate at start and whenever the file changes. Candidates and status of a revoked
 * device are refused (counted as rejected, reason {@code revoked}).
 *
 * @param file the signed list
 * @param ca the fleet CA certificate (PEM) whose key signed it; the bundle's ca.pem
 */
public record RevocationConfig(Path file, Path ca) {
  public RevocationConfig {
    if (file == null || ca == null) {
      throw new IllegalArgumentException(
          "broker.external.revocation needs both file (revoked.json) and ca (the fleet CA's"
              + " ca.pem)");
    }
  }

  /** A copy with relative paths resolved against {@code base}. */
  RevocationConfig resolve(Path base) {
    return new RevocationConfig(base.resolve(file), base.resolve(ca));
  }
}
