package io.edgecam.protocol.tuf;

/**
 * A target found through the trusted delegation graph.
 *
 * @param path the target path, e.g. {@code watchlist/bundle.bin}
 * @param file its length, hashes and custom metadata
 * @param role the targets role that listed it
 */
public record TargetInfo(String path, TargetFile file, String role) {}
