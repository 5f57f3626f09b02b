package io.edgecam.matcher.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A minimal {@code multipart/form-data} reader (RFC 7578) for the enrollment upload: text fields
 * and files, from a body already read into memory (and bounded by the caller). Nested multiparts
 * and {@code Content-Transfer-Encoding} are not supported (browsers send neither).
 */
final class Multipart {
  /** One part: a text field when {@code filename} is null, a file otherwise. */
  record Part(String name, @Nullable String filename, byte[] data) {
    String text() {
      return new String(data, StandardCharsets.UTF_8);
    }
  }

  private Multipart() {}

  /** The boundary of a {@code multipart/form-data} content type, or null if it is not one. */
  static @Nullable String boundary(String contentType) {
    String ct = contentType.toLowerCase(Locale.ROOT);
    if (!ct.startsWith("multipart/form-data")) {
      return null;
    }
    for (String param : contentType.split(";")) {
      String p = param.strip();
      if (p.regionMatches(true, 0, "boundary=", 0, 9)) {
        String b = p.substring(9);
        if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) {
          b = b.substring(1, b.length() - 1);
        }
        return b.isEmpty() || b.length() > 70 ? null : b;
      }
    }
    return null;
  }

  /**
   * Splits {@code body} into its parts.
   *
   * @throws ApiError 400 if the body is not well-formed multipart with this boundary
   */
  static List<Part> parse(byte[] body, String boundary) {
    byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
    byte[] next = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
    int pos = indexOf(body, delimiter, 0);
    if (pos < 0) {
      throw ApiError.badRequest("multipart body without its boundary");
    }
    pos += delimiter.length;
    List<Part> parts = new ArrayList<>();
    while (true) {
      if (startsWith(body, pos, "--")) {
        return parts; // closing delimiter
      }
      if (!startsWith(body, pos, "\r\n")) {
        throw ApiError.badRequest("malformed multipart body (after a boundary)");
      }
      pos += 2;
      int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), pos);
      if (headersEnd < 0) {
        throw ApiError.badRequest("malformed multipart body (part headers)");
      }
      String headers = new String(body, pos, headersEnd - pos, StandardCharsets.UTF_8);
      int dataStart = headersEnd + 4;
      int dataEnd = indexOf(body, next, dataStart);
      if (dataEnd < 0) {
        throw ApiError.badRequest("malformed multipart body (unterminated part)");
      }
      parts.add(part(headers, Arrays.copyOfRange(body, dataStart, dataEnd)));
      pos = dataEnd + next.length;
    }
  }

  private static Part part(String headers, byte[] data) {
    for (String line : headers.split("\r\n")) {
      if (line.regionMatches(true, 0, "Content-Disposition:", 0, 20)) {
        String name = param(line, "name");
        if (name == null) {
          break;
        }
        return new Part(name, param(line, "filename"), data);
      }
    }
    throw ApiError.badRequest("multipart part without Content-Disposition name");
  }

  /** A quoted parameter of a Content-Disposition line (browsers always quote). */
  private static @Nullable String param(String line, String key) {
    String needle = "; " + key + "=\"";
    int i = line.indexOf(needle);
    if (i < 0) {
      needle = ";" + key + "=\"";
      i = line.indexOf(needle);
    }
    if (i < 0) {
      return null;
    }
    int start = i + needle.length();
    int end = line.indexOf('"', start);
    return end < 0 ? null : line.substring(start, end);
  }

  private static boolean startsWith(byte[] body, int pos, String s) {
    if (pos + s.length() > body.length) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (body[pos + i] != s.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  static int indexOf(byte[] haystack, byte[] needle, int from) {
    outer:
    for (int i = from; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
