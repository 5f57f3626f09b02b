package io.edgecam.matcher.watchlist;

import io.edgecam.protocol.Ids;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The authorisation a watchlist entry is searched under, beside its legal basis and expiry (EU AI
 * Act Art. 5(2)-(3): authorised, and limited in time, place and the persons sought): who authorised
 * it, under which reference, at which sites (and optionally devices) the entry may match, and in
 * which time window. An entry scoped to sites never matches a candidate from another site: the
 * index skips it, so a better-scoring in-scope entry still can match.
 *
 * @param body the authorising body (a court, an authority), or null
 * @param reference its reference (case number, decision id), or null
 * @param sites site ids where the entry may match; empty: every site
 * @param devices device ids where the entry may match; empty: every device of the sites
 * @param from the entry matches from this instant on, or null (from enrollment)
 * @param until the entry matches only before this instant, or null (until its expiry)
 */
public record Authorization(
    @Nullable String body,
    @Nullable String reference,
    List<String> sites,
    List<String> devices,
    @Nullable Instant from,
    @Nullable Instant until) {

  /** No authority named, every site and device, no window: what entries from before had. */
  public static final Authorization NONE =
      new Authorization(null, null, List.of(), List.of(), null, null);

  /** Longest body or reference. */
  public static final int MAX_TEXT = 200;

  public Authorization {
    body = blankToNull(body);
    reference = blankToNull(reference);
    if (body != null && body.length() > MAX_TEXT) {
      throw new IllegalArgumentException(
          "authorising body must be at most " + MAX_TEXT + " characters");
    }
    if (reference != null && reference.length() > MAX_TEXT) {
      throw new IllegalArgumentException(
          "authorisation reference must be at most " + MAX_TEXT + " characters");
    }
    sites = List.copyOf(sites == null ? List.of() : sites);
    devices = List.copyOf(devices == null ? List.of() : devices);
    for (String s : sites) {
      if (!Ids.isValid(s)) {
        throw new IllegalArgumentException("sites: '" + s + "' is not a valid site id");
      }
    }
    for (String d : devices) {
      if (!Ids.isValid(d)) {
        throw new IllegalArgumentException("devices: '" + d + "' is not a valid device id");
      }
    }
    if (from != null && until != null && !from.isBefore(until)) {
      throw new IllegalArgumentException(
          "the time window must end after it starts: from " + from + ", until " + until);
    }
  }

  private static @Nullable String blankToNull(@Nullable String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  /** True if a candidate from {@code origin} at {@code nowMillis} may match the entry. */
  public boolean permits(@Nullable Origin origin, long nowMillis) {
    if (from != null && nowMillis < from.toEpochMilli()) {
      return false;
    }
    if (until != null && nowMillis >= until.toEpochMilli()) {
      return false;
    }
    if (!sites.isEmpty() && (origin == null || !sites.contains(origin.site()))) {
      return false;
    }
    return devices.isEmpty() || (origin != null && devices.contains(origin.device()));
  }

  /** True if it limits nothing (no sites, devices or window), so the search need not ask. */
  public boolean unrestricted() {
    return sites.isEmpty() && devices.isEmpty() && from == null && until == null;
  }

  /** True if the entry may match somewhere at {@code site} (for the site's device bundle). */
  public boolean coversSite(String site) {
    return sites.isEmpty() || sites.contains(site);
  }
}
