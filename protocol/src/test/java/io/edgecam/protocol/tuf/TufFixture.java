package io.edgecam.protocol.tuf;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.edgecam.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.AbstractStringAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * Given: a repository (root 2-of-3, one key for each other role, {@code watchlist} and {@code
 * models} delegated) served from a map that tests tamper with, a device store holding root v1, and
 * a clock tests move.
 */
final class TufFixture {
  static final String BUNDLE_PATH = "watchlist/bundle.bin";
  static final String MODEL_PATH = "models/detector.tflite";
  static final byte[] BUNDLE =
      "pseudonymous ids + int8 embeddings".getBytes(StandardCharsets.UTF_8);
  static final byte[] MODEL = "tflite model bytes, version 2".getBytes(StandardCharsets.UTF_8);

  final MutableClock clock;
  final RoleKeys rootKeys = RoleKeys.generate(3, 2);
  final RoleKeys targetsKeys = RoleKeys.generate(1, 1);
  final RoleKeys snapshotKeys = RoleKeys.generate(1, 1);
  final RoleKeys timestampKeys = RoleKeys.generate(1, 1);
  final RoleKeys watchlistKeys = RoleKeys.generate(1, 1);
  final RoleKeys modelsKeys = RoleKeys.generate(1, 1);
  final TufRepository repo;
  final Map<String, byte[]> served = new HashMap<>();
  final Map<String, byte[]> store = new HashMap<>();

  TufFixture() {
    this(Instant.parse("2026-01-01T00:00:00Z"));
  }

  /** A repository signed at {@code start} (interop tests use the wall clock: tuf-js does). */
  TufFixture(Instant start) {
    clock = new MutableClock(start);
    repo =
        TufRepository.create(
            Map.of(
                TopLevel.ROOT, rootKeys,
                TopLevel.TARGETS, targetsKeys,
                TopLevel.SNAPSHOT, snapshotKeys,
                TopLevel.TIMESTAMP, timestampKeys),
            clock,
            Lifetimes.DEFAULTS);
    repo.delegate("watchlist", watchlistKeys, List.of("watchlist/*"), true);
    repo.delegate("models", modelsKeys, List.of("models/*"), true);
    repo.addTarget("watchlist", BUNDLE_PATH, BUNDLE, MissingNode.getInstance());
    repo.addTarget(
        "models",
        MODEL_PATH,
        MODEL,
        JsonNodeFactory.instance.objectNode().put("name", "detector").put("version", 2));
    repo.publish();
    serve();
    store.put(TopLevel.ROOT, repo.root().toBytes());
  }

  /** Serves the repository's current files (tampered ones are replaced). */
  void serve() {
    served.clear();
    served.putAll(repo.files());
  }

  byte[] meta(String name) {
    return served.get("metadata/" + name);
  }

  void serveMeta(String name, byte[] bytes) {
    served.put("metadata/" + name, bytes);
  }

  <T extends Signed> byte[] signed(T signed, RoleKeys keys) {
    return Metadata.sign(signed, keys.keys()).toBytes();
  }

  /** A timestamp, signed by the timestamp key, naming {@code snapshotBytes} as snapshot. */
  void serveTimestampFor(long version, long snapshotVersion, byte[] snapshotBytes) {
    serveMeta(
        "timestamp.json",
        signed(
            new Timestamp(
                version,
                clock.instant().plus(Duration.ofDays(1)),
                MetaFile.of(snapshotVersion, snapshotBytes)),
            timestampKeys));
  }

  TufUpdater updater() {
    return new TufUpdater(memoryStore(), fetcher(), clock, FetchLimits.DEFAULTS);
  }

  MetadataStore memoryStore() {
    return new MetadataStore() {
      @Override
      public Optional<byte[]> load(String role) {
        return Optional.ofNullable(store.get(role));
      }

      @Override
      public void save(String role, byte[] bytes) {
        store.put(role, bytes.clone());
      }

      @Override
      public void delete(String role) {
        store.remove(role);
      }
    };
  }

  TufFetcher fetcher() {
    return new TufFetcher() {
      @Override
      public Optional<byte[]> fetchMetadata(String name, long maxLength) {
        return bounded("metadata/" + name, maxLength);
      }

      @Override
      public Optional<byte[]> fetchTarget(String path, long maxLength) {
        return bounded("targets/" + path, maxLength);
      }

      private Optional<byte[]> bounded(String path, long maxLength) {
        byte[] b = served.get(path);
        if (b == null) {
          return Optional.empty();
        }
        try {
          return Optional.of(
              TufFetcher.readBounded(new java.io.ByteArrayInputStream(b), maxLength, path));
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    };
  }

  /** Then: the call is rejected with {@code kind}; returns an assertion on the message. */
  static AbstractStringAssert<?> rejects(TufException.Kind kind, ThrowingCallable call) {
    String[] message = new String[1];
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            TufException.class,
            e -> {
              org.assertj.core.api.Assertions.assertThat(e.kind())
                  .as(e.getMessage())
                  .isEqualTo(kind);
              message[0] = e.getMessage();
            });
    return org.assertj.core.api.Assertions.assertThat(message[0]);
  }
}
