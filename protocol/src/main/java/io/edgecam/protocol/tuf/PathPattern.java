package io.edgecam.protocol.tuf;

/**
 * TUF delegation path patterns, matched as tuf-js and python-tuf do: the pattern and the path must
 * have the same number of {@code /}-separated parts and each part matches shell-style ({@code *}
 * any run of characters, {@code ?} one character).
 */
final class PathPattern {
  private PathPattern() {}

  static boolean matches(String pattern, String path) {
    String[] patternParts = pattern.split("/", -1);
    String[] pathParts = path.split("/", -1);
    if (patternParts.length != pathParts.length) {
      return false;
    }
    for (int i = 0; i < pathParts.length; i++) {
      if (!matchPart(patternParts[i], 0, pathParts[i], 0)) {
        return false;
      }
    }
    return true;
  }

  private static boolean matchPart(String p, int pi, String s, int si) {
    while (pi < p.length()) {
      char c = p.charAt(pi);
      if (c == '*') {
        for (int k = si; k <= s.length(); k++) {
          if (matchPart(p, pi + 1, s, k)) {
            return true;
          }
        }
        return false;
      }
      if (si >= s.length() || (c != '?' && c != s.charAt(si))) {
        return false;
      }
      pi++;
      si++;
    }
    return si == s.length();
  }
}
