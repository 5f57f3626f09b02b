package io.edgecam.protocol;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * JSON encoding of {@link Status}, {@link DeviceEvent} and {@link Alert} (docs/protocol.md).
 *
 * <p>Decoding is strict about what it knows and lenient about what it does not: unknown fields are
 * ignored (newer senders may add some), while every known field is required, must not be null and
 * must have its exact JSON type (no "1" for 1, no 1.5 for an integer); duplicate keys, trailing
 * data, nesting deeper than {@value #MAX_NESTING_DEPTH} and any version but 1 are rejected.
 * Decoders throw only {@link MalformedMessageException}. Thread-safe.
 */
public final class JsonMessages {
  /** The {@code v} field of every version-1 JSON message. */
  public static final int VERSION = 1;

  /** Payloads larger than this are rejected before parsing. */
  public static final int MAX_PAYLOAD_BYTES = 64 * 1024;

  /** Deepest allowed nesting of JSON arrays and objects, unknown fields included. */
  public static final int MAX_NESTING_DEPTH = 32;

  private static final ObjectMapper MAPPER = createMapper();

  private JsonMessages() {}

  private static ObjectMapper createMapper() {
    JsonMapper mapper =
        JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // Deterministic output: map order is otherwise random for Map.copyOf values.
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();
    for (LogicalType type : new LogicalType[] {LogicalType.Textual, LogicalType.Enum}) {
      mapper
          .coercionConfigFor(type)
          .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    }
    mapper
        .coercionConfigFor(LogicalType.Enum)
        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    mapper
        .getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build());
    return mapper;
  }

  /**
   * Encodes a {@link Status}, {@link DeviceEvent} or {@link Alert} as UTF-8 JSON.
   *
   * @throws IllegalStateException if {@code message} cannot be serialized (a programming error)
   */
  public static byte[] encode(Object message) {
    try {
      return MAPPER.writeValueAsBytes(message);
    } catch (JacksonException e) {
      throw new IllegalStateException(
          "cannot encode " + (message == null ? "null" : message.getClass().getSimpleName()), e);
    }
  }

  /**
   * Decodes a status message.
   *
   * @throws MalformedMessageException naming the field, for anything but a valid version-1 status
   */
  public static Status decodeStatus(byte[] payload) {
    Status s = decode(payload, Status.class, "status");
    requireVersion(s.v(), "status");
    return s;
  }

  /**
   * Decodes a device event.
   *
   * @throws MalformedMessageException naming the field, for anything but a valid version-1 event
   */
  public static DeviceEvent decodeEvent(byte[] payload) {
    DeviceEvent e = decode(payload, DeviceEvent.class, "event");
    requireVersion(e.v(), "event");
    return e;
  }

  /**
   * Decodes an alert.
   *
   * @throws MalformedMessageException naming the field, for anything but a valid version-1 alert
   */
  public static Alert decodeAlert(byte[] payload) {
    Alert a = decode(payload, Alert.class, "alert", JsonMessages::withOperatingPointDefaults);
    requireVersion(a.v(), "alert");
    return a;
  }

  private static void requireVersion(int v, String what) {
    if (v != VERSION) {
      throw new MalformedMessageException(
          what + ": unsupported version " + v + ", this decoder reads " + VERSION);
    }
  }

  /**
   * An alert of a matcher from before the operating-point figures (or stored before migration 10)
   * has no {@code secondScore}, {@code margin} or {@code expectedFpir}: read it as "no runner-up,
   * expected false alarms bounded by 1", the values {@link Alert}'s short constructor gives.
   */
  private static JsonNode withOperatingPointDefaults(JsonNode n) {
    if (n instanceof ObjectNode o) {
      if (!o.has("secondScore")) {
        o.put("secondScore", Alert.NO_SECOND);
      }
      if (!o.has("margin") && o.path("score").isNumber() && o.get("secondScore").isNumber()) {
        o.put("margin", o.get("score").asDouble() - o.get("secondScore").asDouble());
      }
      if (!o.has("expectedFpir")) {
        o.put("expectedFpir", 1.0);
      }
    }
    return n;
  }

  private static <T> T decode(byte[] payload, Class<T> type, String what) {
    return decode(payload, type, what, null);
  }

  private static <T> T decode(
      byte[] payload,
      Class<T> type,
      String what,
      java.util.function.@Nullable UnaryOperator<JsonNode> defaults) {
    if (payload == null || payload.length == 0) {
      throw new MalformedMessageException(what + ": empty payload");
    }
    if (payload.length > MAX_PAYLOAD_BYTES) {
      throw new MalformedMessageException(
          what + ": payload of " + payload.length + " bytes exceeds " + MAX_PAYLOAD_BYTES);
    }
    try {
      T value =
          defaults == null
              ? MAPPER.readValue(payload, type)
              : MAPPER.treeToValue(defaults.apply(MAPPER.readTree(payload)), type);
      if (value == null) {
        throw new MalformedMessageException(what + ": payload is JSON null");
      }
      return value;
    } catch (MalformedMessageException e) {
      throw e;
    } catch (JacksonException e) {
      throw new MalformedMessageException(what + ": " + reason(e), e);
    } catch (IOException e) {
      throw new MalformedMessageException(what + ": unreadable payload: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      // The contract is "only MalformedMessageException": a library bug on hostile input must
      // not crash a consumer. The fuzz tests fail on this branch, so it is not a hiding place.
      throw new MalformedMessageException(what + ": undecodable payload (" + e + ")", e);
    }
  }

  /** The record's own validation message if it threw, else Jackson's, with the field path. */
  private static String reason(JacksonException e) {
    String path = "";
    if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
      StringBuilder sb = new StringBuilder();
      for (JsonMappingException.Reference r : m.getPath()) {
        if (r.getFieldName() != null) {
          sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
        } else if (r.getIndex() >= 0) {
          sb.append('[').append(r.getIndex()).append(']');
        }
      }
      path = sb.length() == 0 ? "" : "field '" + sb + "': ";
    }
    Throwable cause = e.getCause();
    if (cause instanceof IllegalArgumentException && !(cause instanceof JacksonException)) {
      return path + cause.getMessage();
    }
    String message = e.getOriginalMessage();
    // Jackson appends a source excerpt after a newline; the first line is the reason.
    int nl = message == null ? -1 : message.indexOf('\n');
    return path + (nl < 0 ? message : message.substring(0, nl));
  }
}
