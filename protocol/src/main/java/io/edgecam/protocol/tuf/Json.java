package io.edgecam.protocol.tuf;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** Strict reading of TUF JSON fields; every failure is a MALFORMED {@link TufException}. */
final class Json {
  static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private Json() {}

  static ObjectNode newObject() {
    return JsonNodeFactory.instance.objectNode();
  }

  static ObjectNode parseObject(byte[] bytes, String what) {
    JsonNode node;
    try {
      node = MAPPER.readTree(bytes);
    } catch (JacksonException e) {
      throw malformed(what + ": not JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw malformed(what + ": unreadable: " + e.getMessage(), e);
    }
    if (node == null || !node.isObject()) {
      throw malformed(what + ": not a JSON object");
    }
    return (ObjectNode) node;
  }

  static JsonNode required(JsonNode parent, String field, String what) {
    JsonNode value = parent.get(field);
    if (value == null || value.isNull()) {
      throw malformed(what + ": missing " + field);
    }
    return value;
  }

  static String text(JsonNode parent, String field, String what) {
    JsonNode v = required(parent, field, what);
    if (!v.isTextual()) {
      throw malformed(what + ": " + field + " must be a string");
    }
    return v.textValue();
  }

  static long integer(JsonNode parent, String field, String what) {
    JsonNode v = required(parent, field, what);
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
      throw malformed(what + ": " + field + " must be a non-negative integer, was " + v);
    }
    return v.longValue();
  }

  static boolean bool(JsonNode parent, String field, String what) {
    JsonNode v = required(parent, field, what);
    if (!v.isBoolean()) {
      throw malformed(what + ": " + field + " must be a boolean");
    }
    return v.booleanValue();
  }

  static ObjectNode object(JsonNode parent, String field, String what) {
    JsonNode v = required(parent, field, what);
    if (!v.isObject()) {
      throw malformed(what + ": " + field + " must be an object");
    }
    return (ObjectNode) v;
  }

  static List<String> strings(JsonNode parent, String field, String what) {
    JsonNode v = required(parent, field, what);
    if (!v.isArray()) {
      throw malformed(what + ": " + field + " must be an array");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode e : v) {
      if (!e.isTextual()) {
        throw malformed(what + ": " + field + " must hold strings");
      }
      out.add(e.textValue());
    }
    return List.copyOf(out);
  }

  static ArrayNode array(List<String> values) {
    ArrayNode a = JsonNodeFactory.instance.arrayNode();
    values.forEach(a::add);
    return a;
  }

  static Instant instant(JsonNode parent, String field, String what) {
    String s = text(parent, field, what);
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      throw malformed(what + ": " + field + " is not an ISO-8601 UTC time: " + s, e);
    }
  }

  /** TUF's expiry format, YYYY-MM-DDTHH:MM:SSZ. */
  static String format(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  static TufException malformed(String message) {
    return new TufException(TufException.Kind.MALFORMED, message);
  }

  static TufException malformed(String message, Throwable cause) {
    return new TufException(TufException.Kind.MALFORMED, message, cause);
  }
}
