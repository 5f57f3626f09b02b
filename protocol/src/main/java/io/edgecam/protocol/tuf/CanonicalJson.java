package io.edgecam.protocol.tuf;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * OLPC canonical JSON as TUF uses it (securesystemslib {@code encode_canonical}): object keys
 * sorted by code point, no whitespace, only strings, integers, booleans, null, arrays and objects;
 * strings escape only {@code "} and {@code \}, everything else (control characters included) is
 * written as its UTF-8 bytes. Signatures and key ids are computed over these bytes. Thread-safe
 * (stateless).
 */
public final class CanonicalJson {
  private CanonicalJson() {}

  /**
   * The canonical UTF-8 bytes of a JSON tree.
   *
   * @throws TufException of kind MALFORMED for floating-point numbers or other non-canonical values
   */
  public static byte[] encode(JsonNode node) {
    StringBuilder out = new StringBuilder();
    write(node, out);
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void write(JsonNode node, StringBuilder out) {
    switch (node.getNodeType()) {
      case STRING -> writeString(node.textValue(), out);
      case BOOLEAN -> out.append(node.booleanValue());
      case NULL -> out.append("null");
      case NUMBER -> {
        if (!node.isIntegralNumber()) {
          throw new TufException(
              TufException.Kind.MALFORMED, "canonical JSON has no floats, got " + node);
        }
        out.append(node.bigIntegerValue());
      }
      case ARRAY -> {
        out.append('[');
        for (int i = 0; i < node.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          write(node.get(i), out);
        }
        out.append(']');
      }
      case OBJECT -> {
        List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(node.properties());
        fields.sort((a, b) -> compareCodePoints(a.getKey(), b.getKey()));
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, JsonNode> field : fields) {
          if (!first) {
            out.append(',');
          }
          first = false;
          writeString(field.getKey(), out);
          out.append(':');
          write(field.getValue(), out);
        }
        out.append('}');
      }
      default ->
          throw new TufException(
              TufException.Kind.MALFORMED, "not a canonical JSON value: " + node.getNodeType());
    }
  }

  private static void writeString(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\');
      }
      out.append(c);
    }
    out.append('"');
  }

  // Python (securesystemslib) sorts str keys by code point; String.compareTo would sort by UTF-16
  // unit, which differs for characters above U+FFFF.
  private static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Boolean.compare(i < a.length(), j < b.length());
  }
}
