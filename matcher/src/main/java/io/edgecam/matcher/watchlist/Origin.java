package io.edgecam.matcher.watchlist;

/**
 * Where a candidate was captured: its site and device, from the candidate's topic. A watchlist
 * entry scoped to sites or devices matches only candidates from there ({@link Authorization}).
 */
public record Origin(String site, String device) {
  public Origin {
    if (site == null || device == null) {
      throw new IllegalArgumentException("origin needs a site and a device");
    }
  }
}
