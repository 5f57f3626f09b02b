package io.edgecam.protocol;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Candidate wire format, version 1: one CBOR array (docs/protocol.md).
 *
 * <pre>
 * [1, device, sequence, captureTimeMillis, trackId, qualityPermille, [x, y, w, h], model,
 *  embedding (byte string, int8 two's complement), scale (float32)]
 * </pre>
 *
 * A positional array instead of a map keeps a 192-d candidate under 256 bytes. Thread-safe.
 */
public final class CandidateCodec {
  public static final int VERSION = 1;
  /** Payloads larger than this are rejected before parsing. */
  public static final int MAX_PAYLOAD_BYTES = 2048;

  private static final int FIELDS = 10;
  private static final CBORFactory CBOR = new CBORFactory();

  private CandidateCodec() {}

  public static byte[] encode(Candidate c) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (CBORGenerator g = (CBORGenerator) CBOR.createGenerator(out)) {
      g.writeStartArray(null, FIELDS);
      g.writeNumber(VERSION);
      g.writeString(c.device());
      g.writeNumber(c.sequence());
      g.writeNumber(c.captureTimeMillis());
      g.writeNumber(c.trackId());
      g.writeNumber(c.qualityPermille());
      Box b = c.box();
      g.writeStartArray(null, 4);
      g.writeNumber(b.x());
      g.writeNumber(b.y());
      g.writeNumber(b.width());
      g.writeNumber(b.height());
      g.writeEndArray();
      g.writeString(c.model());
      g.writeBinary(c.embedding().values());
      g.writeNumber(c.embedding().scale());
      g.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException("CBOR encoding to memory failed", e);
    }
    return out.toByteArray();
  }

  /**
   * Decodes a candidate.
   *
   * @throws MalformedMessageException with the precise reason for anything that is not a valid
   *     version-1 candidate: not CBOR, wrong shape or type, unknown version, out-of-range or
   *     NaN field, trailing bytes, oversized payload
   */
  public static Candidate decode(byte[] payload) {
    if (payload == null || payload.length == 0) {
      throw new MalformedMessageException("candidate: empty payload");
    }
    if (payload.length > MAX_PAYLOAD_BYTES) {
      throw new MalformedMessageException(
          "candidate: payload of " + payload.length + " bytes exceeds " + MAX_PAYLOAD_BYTES);
    }
    try (JsonParser p = CBOR.createParser(payload)) {
      expect(p, JsonToken.START_ARRAY, "candidate");
      int version = readInt(p, "version", 0, Integer.MAX_VALUE);
      if (version != VERSION) {
        throw new MalformedMessageException("candidate: unsupported version " + version);
      }
      String device = readString(p, "device", 64);
      if (!Ids.isValid(device)) {
        throw new MalformedMessageException("candidate: invalid device id");
      }
      long sequence = readLong(p, "sequence");
      long time = readLong(p, "captureTimeMillis");
      int track = readInt(p, "trackId", 0, Integer.MAX_VALUE);
      int quality = readInt(p, "qualityPermille", 0, 1000);
      expect(p, JsonToken.START_ARRAY, "box");
      int x = readInt(p, "box.x", 0, Box.MAX_COORDINATE);
      int y = readInt(p, "box.y", 0, Box.MAX_COORDINATE);
      int w = readInt(p, "box.width", 0, Box.MAX_COORDINATE);
      int h = readInt(p, "box.height", 0, Box.MAX_COORDINATE);
      expect(p, JsonToken.END_ARRAY, "box (exactly 4 numbers)");
      String model = readString(p, "model", Candidate.MAX_MODEL_TAG);
      if (model.isEmpty()) {
        throw new MalformedMessageException("candidate: empty model tag");
      }
      expect(p, JsonToken.VALUE_EMBEDDED_OBJECT, "embedding (byte string)");
      byte[] values = p.getBinaryValue();
      if (values.length == 0 || values.length > Int8Embedding.MAX_DIMENSIONS) {
        throw new MalformedMessageException(
            "candidate: embedding has " + values.length + " dimensions, expected 1.."
                + Int8Embedding.MAX_DIMENSIONS);
      }
      JsonToken t = p.nextToken();
      if (t != JsonToken.VALUE_NUMBER_FLOAT && t != JsonToken.VALUE_NUMBER_INT) {
        throw new MalformedMessageException("candidate: scale is not a number");
      }
      float scale = p.getFloatValue();
      if (!Float.isFinite(scale) || scale <= 0f) {
        throw new MalformedMessageException("candidate: scale must be finite and > 0, was " + scale);
      }
      if (allZero(values)) {
        throw new MalformedMessageException("candidate: embedding is all zero");
      }
      expect(p, JsonToken.END_ARRAY, "candidate (exactly " + FIELDS + " fields)");
      if (p.nextToken() != null) {
        throw new MalformedMessageException("candidate: trailing data after the array");
      }
      return new Candidate(
          device, sequence, time, track, quality, new Box(x, y, w, h), model,
          new Int8Embedding(values, scale));
    } catch (JacksonException e) {
      throw new MalformedMessageException("candidate: not valid CBOR: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new MalformedMessageException("candidate: unreadable payload: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new MalformedMessageException("candidate: " + e.getMessage(), e);
    }
  }

  private static boolean allZero(byte[] values) {
    for (byte b : values) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static void expect(JsonParser p, JsonToken want, String what) throws IOException {
    JsonToken t = p.nextToken();
    if (t != want) {
      throw new MalformedMessageException(
          "candidate: expected " + what + " but found " + (t == null ? "end of data" : t.name()));
    }
  }

  private static long readLong(JsonParser p, String field) throws IOException {
    JsonToken t = p.nextToken();
    if (t != JsonToken.VALUE_NUMBER_INT) {
      throw new MalformedMessageException("candidate: " + field + " is not an integer");
    }
    if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
      throw new MalformedMessageException("candidate: " + field + " is out of range");
    }
    long v = p.getLongValue();
    if (v < 0) {
      throw new MalformedMessageException("candidate: " + field + " must be >= 0, was " + v);
    }
    return v;
  }

  private static int readInt(JsonParser p, String field, int min, int max) throws IOException {
    long v = readLong(p, field);
    if (v < min || v > max) {
      throw new MalformedMessageException(
          "candidate: " + field + " must be in " + min + ".." + max + ", was " + v);
    }
    return (int) v;
  }

  private static String readString(JsonParser p, String field, int maxLength) throws IOException {
    JsonToken t = p.nextToken();
    if (t != JsonToken.VALUE_STRING) {
      throw new MalformedMessageException("candidate: " + field + " is not a text string");
    }
    String s = p.getText();
    if (s.length() > maxLength) {
      throw new MalformedMessageException(
          "candidate: " + field + " longer than " + maxLength + " characters");
    }
    return s;
  }
}
