package io.edgecam.matcher.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgecam.protocol.Alert;
import io.edgecam.protocol.JsonMessages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/**
 * An alert that enough different persons confirmed: what the action sinks (webhook, {@code
 * edgecam/v1/alerts/verified}) receive, and nothing else does.
 *
 * @param alert the alert as raised
 * @param verifiedBy the persons who confirmed it, in order
 * @param verifiedAt when the last needed confirmation came
 */
public record VerifiedAlert(Alert alert, List<String> verifiedBy, Instant verifiedAt) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public VerifiedAlert {
    if (alert == null || verifiedAt == null || verifiedBy == null || verifiedBy.isEmpty()) {
      throw new IllegalArgumentException("alert, verifiedBy and verifiedAt are required");
    }
    verifiedBy = List.copyOf(verifiedBy);
  }

  /**
   * The wire form: the alert's document (as on {@code edgecam/v1/alerts}) plus {@code state:
   * "verified"}, {@code verifiedBy} (persons) and {@code verifiedAt} (ISO-8601 UTC).
   */
  public byte[] json() {
    try {
      ObjectNode o = (ObjectNode) JSON.readTree(JsonMessages.encode(alert));
      o.put("state", "verified");
      verifiedBy.forEach(o.putArray("verifiedBy")::add);
      o.put("verifiedAt", verifiedAt.toString());
      return JSON.writeValueAsBytes(o);
    } catch (IOException e) {
      throw new UncheckedIOException("encoding verified alert " + alert.id(), e);
    }
  }
}
