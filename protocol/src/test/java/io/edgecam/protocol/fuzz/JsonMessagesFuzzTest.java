package io.edgecam.protocol.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.edgecam.protocol.JsonMessages;
import io.edgecam.protocol.MalformedMessageException;
import java.util.function.Function;

/**
 * Status, DeviceEvent and Alert JSON: each decoder throws nothing but {@link
 * MalformedMessageException}, and what it accepts survives encode and decode unchanged.
 */
class JsonMessagesFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void decode(byte[] payload) {
    once(payload, JsonMessages::decodeStatus, "status");
    once(payload, JsonMessages::decodeEvent, "event");
    once(payload, JsonMessages::decodeAlert, "alert");
  }

  private static <T> void once(byte[] payload, Function<byte[], T> decoder, String what) {
    T value;
    try {
      value = decoder.apply(payload);
    } catch (MalformedMessageException e) {
      Findings.requireDeliberate(e, what);
      return;
    }
    Findings.check(
        decoder.apply(JsonMessages.encode(value)).equals(value), what + " round trip changed");
  }
}
