package io.edgecam.matcher.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgecam.protocol.tuf.SigningKey;
import io.edgecam.protocol.tuf.TufKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Signs a report with the matcher's audit key (Ed25519, the key that signs every audit record and
 * whose public half {@code audit.key.pub} verifiers already hold), and checks such a signature. The
 * signature is over the SHA-256 of the report's UTF-8 bytes. A CSV report carries it as its last
 * line, {@code # edgecam-signature key_id=K sha256=H ed25519=S}, over every line before it; a JSON
 * report is {@code {"report": {...}, "signature": {"key_id", "sha256", "ed25519"}}}, over the
 * compact JSON of {@code report} (Jackson writes a parsed tree back to the same bytes). Stateless.
 */
public final class ReportSignature {
  static final String PREFIX = "# edgecam-signature ";
  private static final Pattern LINE =
      Pattern.compile(
          "# edgecam-signature key_id=([0-9a-f]+) sha256=([0-9a-f]{64}) ed25519=([0-9a-f]{128})");
  private static final HexFormat HEX = HexFormat.of();

  private ReportSignature() {}

  /** {@code body} (ending with a newline) followed by its signature line. */
  public static String sign(String body, SigningKey key) {
    byte[] hash = sha256(body);
    return body
        + PREFIX
        + "key_id="
        + key.keyId()
        + " sha256="
        + HEX.formatHex(hash)
        + " ed25519="
        + HEX.formatHex(key.sign(hash))
        + "\n";
  }

  /** What {@link #verify} found. */
  public record Check(boolean valid, String keyId, String reason) {}

  /** Checks a signed report with {@code key}. */
  public static Check verify(String signed, TufKey key) {
    String text = signed.endsWith("\n") ? signed.substring(0, signed.length() - 1) : signed;
    int cut = text.lastIndexOf('\n') + 1;
    Matcher m = LINE.matcher(text.substring(cut));
    if (!m.matches()) {
      return new Check(false, "", "no signature line (" + PREFIX.strip() + " ...) at the end");
    }
    String body = text.substring(0, cut);
    byte[] hash = sha256(body);
    if (!HEX.formatHex(hash).equals(m.group(2))) {
      return new Check(false, m.group(1), "the report was changed after it was signed (SHA-256)");
    }
    if (!key.verifies(hash, HEX.parseHex(m.group(3)))) {
      return new Check(
          false,
          m.group(1),
          "the signature is not by this key (or was changed); key id " + m.group(1));
    }
    return new Check(true, m.group(1), "signature valid");
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** {@code {"report": report, "signature": {...}}}. */
  public static ObjectNode signJson(ObjectNode report, SigningKey key) {
    byte[] hash = sha256(compact(report));
    ObjectNode out = JSON.createObjectNode();
    out.set("report", report);
    out.putObject("signature")
        .put("algorithm", "Ed25519 over SHA-256 of the compact JSON of report")
        .put("key_id", key.keyId())
        .put("sha256", HEX.formatHex(hash))
        .put("ed25519", HEX.formatHex(key.sign(hash)));
    return out;
  }

  /** Checks a signed JSON report with {@code key}. */
  public static Check verifyJson(String text, TufKey key) {
    JsonNode doc;
    try {
      doc = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return new Check(false, "", "not JSON: " + e.getOriginalMessage());
    }
    JsonNode report = doc == null ? null : doc.get("report");
    JsonNode sig = doc == null ? null : doc.get("signature");
    if (report == null || sig == null || !sig.path("ed25519").isTextual()) {
      return new Check(false, "", "no report and signature members");
    }
    String keyId = sig.path("key_id").asText();
    byte[] hash = sha256(compact(report));
    if (!HEX.formatHex(hash).equals(sig.path("sha256").asText())) {
      return new Check(false, keyId, "the report was changed after it was signed (SHA-256)");
    }
    byte[] signature;
    try {
      signature = HEX.parseHex(sig.path("ed25519").asText());
    } catch (IllegalArgumentException e) {
      return new Check(false, keyId, "the signature is not hex");
    }
    if (!key.verifies(hash, signature)) {
      return new Check(false, keyId, "the signature is not by this key (or was changed)");
    }
    return new Check(true, keyId, "signature valid");
  }

  private static String compact(JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  private static byte[] sha256(String body) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }
}
