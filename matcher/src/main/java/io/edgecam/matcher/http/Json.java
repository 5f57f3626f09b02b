package io.edgecam.matcher.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** The API's JSON: one mapper, request bodies as trees, responses built field by field. */
final class Json {
  static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  static {
    MAPPER
        .getFactory()
        .setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build());
  }

  private Json() {}

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static ArrayNode array() {
    return MAPPER.createArrayNode();
  }

  /** ISO-8601 UTC text, or JSON null. */
  static @Nullable String time(@Nullable Instant t) {
    return t == null ? null : t.toString();
  }

  /**
   * Parses a request body that must be a JSON object.
   *
   * @throws ApiError 400 naming what is wrong
   */
  static ObjectNode parseObject(byte[] body) {
    if (body.length == 0) {
      throw ApiError.badRequest("the request body must be a JSON object, it is empty");
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(body);
    } catch (JacksonException e) {
      String m = e.getOriginalMessage();
      int nl = m == null ? -1 : m.indexOf('\n');
      throw ApiError.badRequest(
          "the request body is not valid JSON: " + (nl < 0 ? m : m.substring(0, nl)));
    } catch (IOException e) {
      throw ApiError.badRequest("the request body cannot be read: " + e.getMessage());
    }
    if (!(node instanceof ObjectNode o)) {
      throw ApiError.badRequest("the request body must be a JSON object");
    }
    return o;
  }

  static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JacksonException e) {
      throw new IllegalStateException("cannot encode a JSON tree", e);
    }
  }
}
