package io.edgecam.protocol;

/** Renders untrusted text for exception messages and logs: escaped, quoted and bounded. */
final class Printable {
  private static final int MAX_SHOWN = 80;

  private Printable() {}

  /**
   * {@code text} in single quotes with control, non-ASCII and quote characters as {@code \\uXXXX}
   * escapes, cut after {@value #MAX_SHOWN} characters, so that a hostile id cannot forge log lines.
   */
  static String quote(String text) {
    StringBuilder sb = new StringBuilder(Math.min(text.length(), MAX_SHOWN) + 8).append('\'');
    int shown = Math.min(text.length(), MAX_SHOWN);
    for (int i = 0; i < shown; i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '\'' || c == '\\') {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    sb.append('\'');
    if (text.length() > MAX_SHOWN) {
      sb.append("... (").append(text.length()).append(" characters)");
    }
    return sb.toString();
  }
}
