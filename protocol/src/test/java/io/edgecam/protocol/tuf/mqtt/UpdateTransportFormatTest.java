package io.edgecam.protocol.tuf.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgecam.protocol.Ids;
import io.edgecam.protocol.MalformedMessageException;
import io.edgecam.protocol.Topics;
import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Update topics, the chunk wire format and the reassembly rules (no broker involved). */
class UpdateTransportFormatTest {
  private static final String SHA = "ab".repeat(32);
  private static final String PATH = "models/" + SHA + ".m-v2.tflite";

  private static byte[] content(int n, int seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void topicsFollowTheDocumentedLayout() {
    assertThat(UpdateTopics.metadata("site-1", "3.root.json"))
        .isEqualTo("edgecam/v1/site-1/updates/meta/3.root.json");
    assertThat(UpdateTopics.metadataFilter("site-1")).isEqualTo("edgecam/v1/site-1/updates/meta/+");
    assertThat(UpdateTopics.chunk("site-1", PATH, 12))
        .isEqualTo("edgecam/v1/site-1/updates/targets/" + PATH + "/12");
    assertThat(UpdateTopics.chunkFilter("site-1", PATH))
        .isEqualTo("edgecam/v1/site-1/updates/targets/" + PATH + "/+");
    assertThat(UpdateTopics.parseChunk("site-1", UpdateTopics.chunk("site-1", PATH, 12)))
        .isEqualTo(new UpdateTopics.ChunkTopic(PATH, 12));
    assertThat(
            UpdateTopics.parseMetadata("site-1", "edgecam/v1/site-1/updates/meta/timestamp.json"))
        .isEqualTo("timestamp.json");
    // the device id "updates" is reserved, so a per-device ACL never covers these topics
    assertThat(Ids.isValidDevice(UpdateTopics.UPDATES)).isFalse();
    assertThatThrownBy(() -> Topics.status("site-1", "updates")).hasMessageContaining("reserved");
  }

  @Test
  void rejectsPathsAndNamesThatWouldBreakTopics() {
    for (String bad : List.of("a/../b", "a/+/b", "a/#", "a//b", "/a", "a/", "$SYS/x", "")) {
      assertThat(UpdateTopics.isValidPath(bad)).as(bad).isFalse();
    }
    for (String bad : List.of("root", "../x.json", "+.json", "a/b.json", ".json")) {
      assertThat(UpdateTopics.isValidName(bad)).as(bad).isFalse();
    }
    assertThatThrownBy(() -> UpdateTopics.parseChunk("s", "edgecam/v1/s/updates/targets/a/b/x"))
        .isInstanceOf(MalformedMessageException.class);
    assertThatThrownBy(
            () -> UpdateTopics.parseMetadata("s", "edgecam/v1/other/updates/meta/a.json"))
        .isInstanceOf(MalformedMessageException.class);
  }

  @Test
  void splitsAndReassemblesByteForByte() {
    for (int n : new int[] {0, 1, 999, 1000, 1001, 64 * 1024 * 3 + 5}) {
      byte[] c = content(n, n);
      List<TargetChunk> chunks =
          TargetChunk.split(c, n > 5000 ? TargetChunk.DEFAULT_CHUNK_SIZE : 1000);
      byte[] out = new byte[n];
      ChunkAssembly a = new ChunkAssembly(null, n);
      for (TargetChunk chunk : chunks) {
        TargetChunk back = TargetChunk.decode(chunk.encode());
        assertThat(back).isEqualTo(chunk);
        assertThat(a.offer(back)).isEqualTo(ChunkAssembly.Verdict.ACCEPTED);
        back.copyInto(out);
      }
      assertThat(a.isComplete()).isTrue();
      assertThat(out).isEqualTo(c);
      assertThat(chunks.get(0).encode().length)
          .isEqualTo(TargetChunk.HEADER + Math.min(n, chunks.get(0).chunkSize()));
    }
  }

  @Test
  void chunkHeaderIsTheDocumentedLayout() {
    TargetChunk c = TargetChunk.split(new byte[] {1, 2, 3, 4, 5}, 2).get(2);
    ByteBuffer b = ByteBuffer.wrap(c.encode());
    assertThat(b.get()).isEqualTo((byte) 1);
    b.position(33);
    assertThat(b.getLong()).isEqualTo(5);
    assertThat(b.getInt()).isEqualTo(2);
    assertThat(b.getInt()).isEqualTo(2);
    assertThat(b.getInt()).isEqualTo(3);
    assertThat(b.get()).isEqualTo((byte) 5);
    assertThat(b.remaining()).isZero();
  }

  @Test
  void decoderRejectsChunksBeyondTheirDeclaredSizeWithAPreciseReason() {
    byte[] good = TargetChunk.split(content(10, 1), 4).get(0).encode();
    byte[] longer = java.util.Arrays.copyOf(good, good.length + 1); // data past its slot
    assertThatThrownBy(() -> TargetChunk.decode(longer))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("chunk 0 holds 5 bytes, the declared layout gives it 4");
    byte[] beyond = good.clone();
    ByteBuffer.wrap(beyond).putInt(45, 3); // index 3 of count 3
    assertThatThrownBy(() -> TargetChunk.decode(beyond))
        .hasMessageContaining("chunk index 3 beyond the declared count 3");
    byte[] countLie = good.clone();
    ByteBuffer.wrap(countLie).putInt(49, 9);
    assertThatThrownBy(() -> TargetChunk.decode(countLie))
        .hasMessageContaining("chunk count 9 does not match total 10 / chunk size 4");
    assertThatThrownBy(() -> TargetChunk.decode(new byte[10]))
        .hasMessageContaining("shorter than the 53-byte header");
    byte[] format = good.clone();
    format[0] = 2;
    assertThatThrownBy(() -> TargetChunk.decode(format))
        .hasMessageContaining("unsupported format 2");
  }

  @Test
  void mixAndMatchChunksOfAnotherVersionAreDropped() {
    byte[] v1 = content(3000, 1);
    byte[] v2 = content(3000, 2);
    List<TargetChunk> c1 = TargetChunk.split(v1, 1000);
    List<TargetChunk> c2 = TargetChunk.split(v2, 1000);
    ChunkAssembly expecting2 = new ChunkAssembly(c2.get(0).sha256Hex(), 3000);
    assertThat(expecting2.offer(c1.get(0))).isEqualTo(ChunkAssembly.Verdict.OTHER_TARGET);
    assertThat(expecting2.held()).isZero();
    // without an expected hash the first accepted chunk fixes the version
    ChunkAssembly first = new ChunkAssembly(null, 3000);
    assertThat(first.offer(c2.get(1))).isEqualTo(ChunkAssembly.Verdict.ACCEPTED);
    assertThat(first.offer(c1.get(0))).isEqualTo(ChunkAssembly.Verdict.OTHER_TARGET);
    assertThat(first.offer(c2.get(1))).isEqualTo(ChunkAssembly.Verdict.DUPLICATE);
    assertThat(first.missing()).containsExactly(0, 2);
  }

  @Test
  void endlessDataChunksDeclaringMoreThanAllowedAreRefused() {
    List<TargetChunk> chunks = TargetChunk.split(content(5000, 3), 1000);
    ChunkAssembly a = new ChunkAssembly(chunks.get(0).sha256Hex(), 4999);
    assertThat(a.offer(chunks.get(0))).isEqualTo(ChunkAssembly.Verdict.TOO_LONG);
    assertThat(a.held()).isZero();
    // same hash, another layout (a forged longer count)
    ChunkAssembly b = new ChunkAssembly(chunks.get(0).sha256Hex(), 1 << 20);
    assertThat(b.offer(chunks.get(0))).isEqualTo(ChunkAssembly.Verdict.ACCEPTED);
    TargetChunk forged = new TargetChunk(chunks.get(0).sha256(), 6000, 1000, 5, 6, new byte[1000]);
    assertThat(b.offer(forged)).isEqualTo(ChunkAssembly.Verdict.INCONSISTENT);
  }

  @Test
  void restoresWhatARestartedReceiverHadStored() {
    List<TargetChunk> chunks = TargetChunk.split(content(5000, 4), 1000);
    ChunkAssembly.Layout layout = ChunkAssembly.Layout.of(chunks.get(0));
    BitSet stored = new BitSet();
    stored.set(0, 3);
    ChunkAssembly a = new ChunkAssembly(layout.sha256Hex(), 5000);
    assertThat(a.restore(layout, stored)).isTrue();
    assertThat(a.missing()).containsExactly(3, 4);
    assertThat(a.offer(chunks.get(1))).isEqualTo(ChunkAssembly.Verdict.DUPLICATE);
    assertThat(new ChunkAssembly(SHA, 5000).restore(layout, stored)).isFalse();
    assertThat(layout.length(4)).isEqualTo(1000);
    assertThat(layout.offset(4)).isEqualTo(4000);
  }

  @Test
  void publishOrderIsRootsChunksRolesSnapshotTimestampAndStaleTopicsAreCleared() {
    Map<String, byte[]> meta = new java.util.LinkedHashMap<>();
    for (String n :
        List.of(
            "timestamp.json",
            "3.snapshot.json",
            "2.targets.json",
            "2.root.json",
            "4.models.json",
            "1.root.json")) {
      meta.put(n, n.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    List<UpdateMessages.Message> m =
        UpdateMessages.of("s", meta, Map.of("models/x.bin", new byte[2500]), 1000);
    List<String> order =
        m.stream().map(x -> x.topic().substring("edgecam/v1/s/updates/".length())).toList();
    assertThat(order)
        .containsExactly(
            "meta/1.root.json",
            "meta/2.root.json",
            "targets/models/x.bin/0",
            "targets/models/x.bin/1",
            "targets/models/x.bin/2",
            "meta/4.models.json",
            "meta/2.targets.json",
            "meta/3.snapshot.json",
            "meta/timestamp.json");
    List<UpdateMessages.Message> clear =
        UpdateMessages.clearing(
            List.of("edgecam/v1/s/updates/meta/2.snapshot.json", m.get(0).topic()), m);
    assertThat(clear).hasSize(1);
    assertThat(clear.get(0).topic()).endsWith("meta/2.snapshot.json");
    assertThat(clear.get(0).payload()).isEmpty();
  }
}
