package io.edgecam.matcher.report;

/**
 * CSV cells that are safe to open in a spreadsheet, whatever separator its locale uses. Every cell
 * is quoted (RFC 4180), and a formula start ({@code = + - @}, tab, carriage return) at the start of
 * the cell or after any separator character ({@code , ; | tab}, optionally followed by spaces) gets
 * a {@code '} in front, so that {@code Doe;=1+1} stays text where {@code ;} splits cells (CSV
 * injection). Numbers go through {@link #number}, which quotes without defusing a minus sign.
 */
public final class Csv {
  private static final String FORMULA_START = "=+-@\t\r";
  private static final String SEPARATORS = ",;|\t";

  private Csv() {}

  /** A quoted, defused text cell. */
  public static String cell(String s) {
    StringBuilder out = new StringBuilder(s.length() + 4).append('"');
    boolean cellStart = true;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (cellStart && FORMULA_START.indexOf(c) >= 0) {
        out.append('\'');
      }
      if (SEPARATORS.indexOf(c) >= 0) {
        cellStart = true;
      } else if (c != ' ') {
        cellStart = false;
      }
      out.append(c == '"' ? "\"\"" : String.valueOf(c));
    }
    return out.append('"').toString();
  }

  /** A quoted number (no defusing: it is ours, not user text). */
  public static String number(Object n) {
    return "\"" + n + "\"";
  }
}
