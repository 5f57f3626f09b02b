package io.edgecam.matcher.report;

import java.time.Instant;

/**
 * The period a report covers: {@code [from, to)}.
 *
 * @param from first instant included
 * @param to first instant excluded
 */
public record ReportPeriod(Instant from, Instant to) {
  public ReportPeriod {
    if (from == null || to == null || !from.isBefore(to)) {
      throw new IllegalArgumentException("--from must be before --to, was " + from + " .. " + to);
    }
  }

  boolean contains(Instant t) {
    return !t.isBefore(from) && t.isBefore(to);
  }
}
