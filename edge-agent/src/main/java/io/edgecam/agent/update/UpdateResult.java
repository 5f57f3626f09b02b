package io.edgecam.agent.update;

import io.edgecam.protocol.DeviceEvent;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One update result as the agent reports it: a {@link DeviceEvent} of type {@value #TYPE} on the
 * device's events topic, with exactly the detail keys {@code kind} (watchlist | model), {@code
 * name}, {@code target}, {@code version}, {@code result} (staged | applied | rejected |
 * rolled_back) and, for rejected and rolled_back, {@code reason} (docs/updates.md, "Events").
 *
 * @param kind {@code watchlist} or {@code model}
 * @param name the target's edgecam name (watchlist: the embedding space's model tag; model: the
 *     slot, e.g. {@code mobilefacenet})
 * @param target the TUF target path, {@code ""} when the failure came before a target could be
 *     trusted (e.g. the watchlist role's metadata was refused)
 * @param version the target's version, 0 when unknown
 * @param result what happened
 * @param reason why, for rejected and rolled_back; starts with the failed check, e.g. {@code
 *     threshold: ...}, {@code selftest: ...}
 */
public record UpdateResult(
    String kind, String name, String target, long version, Result result, @Nullable String reason) {

  /** The event type. */
  public static final String TYPE = "update";

  /** Kind of a watchlist target. */
  public static final String WATCHLIST = "watchlist";

  /** Kind of a model target. */
  public static final String MODEL = "model";

  /** What happened to a target. */
  public enum Result {
    /** Downloaded and verified, now being checked and tested (models). */
    STAGED,
    /** In use. */
    APPLIED,
    /** Refused; the previous one stays in use. */
    REJECTED,
    /** Was in use, failed, and the previous one runs again. */
    ROLLED_BACK;

    /** The wire value. */
    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Longest reason sent, in characters (longer ones are cut). */
  public static final int MAX_REASON = 400;

  public UpdateResult {
    if ((result == Result.REJECTED || result == Result.ROLLED_BACK) == (reason == null)) {
      throw new IllegalArgumentException("a reason is required exactly for rejected/rolled_back");
    }
    if (reason != null && reason.length() > MAX_REASON) {
      reason = reason.substring(0, MAX_REASON - 3) + "...";
    }
  }

  /** The event for {@code device} at {@code timeMillis}. */
  public DeviceEvent toEvent(String device, long timeMillis) {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("kind", kind);
    d.put("name", name);
    d.put("target", target);
    d.put("version", version > 0 ? Long.toString(version) : "");
    d.put("result", result.wire());
    if (reason != null) {
      d.put("reason", reason);
    }
    return new DeviceEvent(1, device, timeMillis, TYPE, d);
  }
}
