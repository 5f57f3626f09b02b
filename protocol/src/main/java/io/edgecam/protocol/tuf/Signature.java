package io.edgecam.protocol.tuf;

/**
 * One entry of a metadata file's {@code signatures}.
 *
 * @param keyId id of the signing key
 * @param sig lowercase hex of the Ed25519 signature over the canonical {@code signed} bytes
 */
public record Signature(String keyId, String sig) {}
