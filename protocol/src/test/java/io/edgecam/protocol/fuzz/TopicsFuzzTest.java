package io.edgecam.protocol.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.edgecam.protocol.MalformedMessageException;
import io.edgecam.protocol.Topics;

/**
 * Topic names (oversized, Unicode, wildcards): {@link Topics#parseDeviceTopic} accepts exactly what
 * {@link Topics} builds and throws nothing but {@link MalformedMessageException}.
 */
class TopicsFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void parseDeviceTopic(FuzzedDataProvider data) {
    parse(data.consumeRemainingAsString());
  }

  static void parse(String topic) {
    Topics.DeviceTopic t;
    try {
      t = Topics.parseDeviceTopic(topic);
    } catch (MalformedMessageException e) {
      return;
    }
    String rebuilt =
        switch (t.kind()) {
          case "candidates" -> Topics.candidates(t.site(), t.device());
          case "status" -> Topics.status(t.site(), t.device());
          default -> Topics.events(t.site(), t.device());
        };
    Findings.check(rebuilt.equals(topic), "parsed " + topic + " but it rebuilds as " + rebuilt);
  }
}
