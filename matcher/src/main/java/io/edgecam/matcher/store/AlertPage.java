package io.edgecam.matcher.store;

import io.edgecam.protocol.Alert;
import java.util.List;

/**
 * One page of an {@link AlertQuery}.
 *
 * @param alerts the page, newest first
 * @param total how many alerts match the filters (all pages)
 * @param more true if there is a page after this one
 */
public record AlertPage(List<Alert> alerts, long total, boolean more) {
  public AlertPage {
    alerts = List.copyOf(alerts);
  }
}
