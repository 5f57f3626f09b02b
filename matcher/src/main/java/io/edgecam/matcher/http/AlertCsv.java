package io.edgecam.matcher.http;

import io.edgecam.matcher.report.Csv;
import io.edgecam.protocol.Alert;
import java.time.Instant;
import java.util.List;

/** Alerts as RFC 4180 CSV, every cell quoted and defused ({@link Csv}). */
final class AlertCsv {
  static final String HEADER =
      "id,match_time,capture_time,site,device,sequence,entry_id,label,score,threshold,track_id,"
          + "box_x,box_y,box_w,box_h";

  private AlertCsv() {}

  static String write(List<Alert> alerts) {
    StringBuilder sb = new StringBuilder(HEADER).append("\r\n");
    for (Alert a : alerts) {
      sb.append(Csv.cell(a.id()))
          .append(',')
          .append(Csv.number(Instant.ofEpochMilli(a.matchTimeMillis())))
          .append(',')
          .append(Csv.number(Instant.ofEpochMilli(a.captureTimeMillis())))
          .append(',')
          .append(Csv.cell(a.site()))
          .append(',')
          .append(Csv.cell(a.device()))
          .append(',')
          .append(Csv.number(a.sequence()))
          .append(',')
          .append(Csv.cell(a.entryId()))
          .append(',')
          .append(Csv.cell(a.label()))
          .append(',')
          .append(Csv.number(a.score()))
          .append(',')
          .append(Csv.number(a.threshold()))
          .append(',')
          .append(Csv.number(a.trackId()))
          .append(',')
          .append(Csv.number(a.box().x()))
          .append(',')
          .append(Csv.number(a.box().y()))
          .append(',')
          .append(Csv.number(a.box().width()))
          .append(',')
          .append(Csv.number(a.box().height()))
          .append("\r\n");
    }
    return sb.toString();
  }
}
