package io.edgecam.protocol.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.edgecam.protocol.tuf.Metadata;
import io.edgecam.protocol.tuf.Root;
import io.edgecam.protocol.tuf.Signed;
import io.edgecam.protocol.tuf.Snapshot;
import io.edgecam.protocol.tuf.Targets;
import io.edgecam.protocol.tuf.Timestamp;
import io.edgecam.protocol.tuf.TufException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Every protocol decoder on every input, in one JVM: the target of the bounded fuzz run in {@code
 * mvn verify} (one JVM start and instrumentation instead of one per decoder; docs/fuzzing.md). The
 * per-decoder targets ({@link CandidateFuzzTest}, {@link SealedOpenFuzzTest}, {@link
 * JsonMessagesFuzzTest}, {@link TopicsFuzzTest}, {@link WatchlistBundleFuzzTest},
 * TufMetadataFuzzTest) are for long sessions. Seeds: all the hand corpora
 * (AllDecodersFuzzTestInputs/decode links them).
 */
class AllDecodersFuzzTest {
  private static final List<Class<? extends Signed>> TUF_TYPES =
      List.of(Root.class, Targets.class, Snapshot.class, Timestamp.class);

  private final CandidateFuzzTest candidate = new CandidateFuzzTest();
  private final SealedOpenFuzzTest sealed = new SealedOpenFuzzTest();
  private final JsonMessagesFuzzTest json = new JsonMessagesFuzzTest();
  private final WatchlistBundleFuzzTest bundle = new WatchlistBundleFuzzTest();

  @FuzzTest(maxDuration = "60s")
  void decode(byte[] input) {
    candidate.decodeAny(input);
    sealed.open(input);
    json.decode(input);
    bundle.decode(input);
    for (Class<? extends Signed> type : TUF_TYPES) {
      try {
        Metadata.parse(input, type);
      } catch (TufException e) {
        Findings.check(e.kind() == TufException.Kind.MALFORMED, "TUF parse threw " + e.kind());
      }
    }
    TopicsFuzzTest.parse(new String(input, StandardCharsets.UTF_8));
  }
}
