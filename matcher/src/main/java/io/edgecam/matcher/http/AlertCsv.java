package io.edgecam.matcher.http;

import io.edgecam.protocol.Alert;
import java.time.Instant;
import java.util.List;

/** Alerts as RFC 4180 CSV, safe to open in a spreadsheet. */
final class AlertCsv {
  static final String HEADER =
      "id,match_time,capture_time,site,device,sequence,entry_id,label,score,threshold,track_id,"
          + "box_x,box_y,box_w,box_h";

  private AlertCsv() {}

  static String write(List<Alert> alerts) {
    StringBuilder sb = new StringBuilder(HEADER).append("\r\n");
    for (Alert a : alerts) {
      sb.append(cell(a.id()))
          .append(',')
          .append(Instant.ofEpochMilli(a.matchTimeMillis()))
          .append(',')
          .append(Instant.ofEpochMilli(a.captureTimeMillis()))
          .append(',')
          .append(cell(a.site()))
          .append(',')
          .append(cell(a.device()))
          .append(',')
          .append(a.sequence())
          .append(',')
          .append(cell(a.entryId()))
          .append(',')
          .append(cell(a.label()))
          .append(',')
          .append(a.score())
          .append(',')
          .append(a.threshold())
          .append(',')
          .append(a.trackId())
          .append(',')
          .append(a.box().x())
          .append(',')
          .append(a.box().y())
          .append(',')
          .append(a.box().width())
          .append(',')
          .append(a.box().height())
          .append("\r\n");
    }
    return sb.toString();
  }

  /**
   * Quotes when needed; a leading {@code = + - @} gets a {@code '} so that a spreadsheet shows a
   * label like {@code =HYPERLINK(...)} as text instead of running it (CSV injection).
   */
  static String cell(String s) {
    String v = !s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0 ? "'" + s : s;
    if (v.indexOf(',') >= 0
        || v.indexOf('"') >= 0
        || v.indexOf('\n') >= 0
        || v.indexOf('\r') >= 0) {
      return '"' + v.replace("\"", "\"\"") + '"';
    }
    return v;
  }
}
