package io.edgecam.protocol;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * JSON encoding of {@link Status}, {@link DeviceEvent} and {@link Alert}. Unknown fields are
 * ignored (newer senders may add some); missing or invalid required fields and any version but 1
 * are rejected. Thread-safe.
 */
public final class JsonMessages {
  public static final int VERSION = 1;
  public static final int MAX_PAYLOAD_BYTES = 64 * 1024;

  private static final ObjectMapper MAPPER = createMapper();

  private JsonMessages() {}

  private static ObjectMapper createMapper() {
    JsonMapper mapper =
        JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .build();
    mapper
        .getFactory()
        .setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build());
    return mapper;
  }

  public static byte[] encode(Object message) {
    try {
      return MAPPER.writeValueAsBytes(message);
    } catch (JacksonException e) {
      throw new IllegalStateException("cannot encode " + message.getClass().getSimpleName(), e);
    }
  }

  public static Status decodeStatus(byte[] payload) {
    Status s = decode(payload, Status.class, "status");
    requireVersion(s.v(), "status");
    return s;
  }

  public static DeviceEvent decodeEvent(byte[] payload) {
    DeviceEvent e = decode(payload, DeviceEvent.class, "event");
    requireVersion(e.v(), "event");
    return e;
  }

  public static Alert decodeAlert(byte[] payload) {
    Alert a = decode(payload, Alert.class, "alert");
    requireVersion(a.v(), "alert");
    return a;
  }

  private static void requireVersion(int v, String what) {
    if (v != VERSION) {
      throw new MalformedMessageException(what + ": unsupported version " + v);
    }
  }

  private static <T> T decode(byte[] payload, Class<T> type, String what) {
    if (payload == null || payload.length == 0) {
      throw new MalformedMessageException(what + ": empty payload");
    }
    if (payload.length > MAX_PAYLOAD_BYTES) {
      throw new MalformedMessageException(
          what + ": payload of " + payload.length + " bytes exceeds " + MAX_PAYLOAD_BYTES);
    }
    try {
      T value = MAPPER.readValue(payload, type);
      if (value == null) {
        throw new MalformedMessageException(what + ": payload is JSON null");
      }
      return value;
    } catch (JacksonException e) {
      Throwable root = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
      String reason =
          root instanceof JacksonException je ? je.getOriginalMessage() : root.getMessage();
      throw new MalformedMessageException(what + ": " + reason, e);
    } catch (java.io.IOException e) {
      throw new MalformedMessageException(what + ": unreadable payload: " + e.getMessage(), e);
    }
  }
}
