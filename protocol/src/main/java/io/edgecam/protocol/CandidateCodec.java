package io.edgecam.protocol;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;

/**
 * Candidate wire format: one CBOR array (docs/protocol.md, "Candidate"). Version 1 is plain,
 * version 2 sealed (the embedding encrypted to the matcher's key, {@link SealedCandidate}):
 *
 * <pre>
 * [1, device, sequence, captureTimeMillis, trackId, qualityPermille, [x, y, w, h], model,
 *  embedding (byte string, int8 two's complement), scale (float32)]
 * [2, device, sequence, captureTimeMillis, trackId, qualityPermille, [x, y, w, h], model,
 *  keyId (4 bytes), ephemeralKey (32 bytes), ciphertext (byte string)]
 * </pre>
 *
 * A positional array instead of a map keeps a 192-d candidate near 256 bytes. Integers are written
 * in their shortest form. The decoder accepts exactly this shape and rejects everything else
 * (including CBOR tags, which are reserved for later versions) with a {@link
 * MalformedMessageException} whose message names the field. Thread-safe (stateless).
 */
public final class CandidateCodec {
  /** Wire format version written in field 0. */
  public static final int VERSION = 1;

  /** Payloads larger than this are rejected before parsing. */
  public static final int MAX_PAYLOAD_BYTES = 2048;

  /** Number of elements of the version-1 array. */
  public static final int FIELDS = 10;

  /** Wire format version of a sealed candidate. */
  public static final int SEALED_VERSION = 2;

  /** Number of elements of the version-2 (sealed) array. */
  public static final int SEALED_FIELDS = 11;

  private static final CBORFactory CBOR =
      CBORFactory.builder()
          .enable(CBORGenerator.Feature.WRITE_MINIMAL_INTS)
          .disable(CBORGenerator.Feature.WRITE_TYPE_HEADER)
          .build();

  private CandidateCodec() {}

  /** Encodes {@code c} as a version-1 CBOR array. */
  public static byte[] encode(Candidate c) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(288);
    try (CBORGenerator g = CBOR.createGenerator(out)) {
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
   * Encodes a sealed candidate: {@link #sealedHeader(SealedCandidate)} followed by the ciphertext
   * as a byte string.
   */
  public static byte[] encodeSealed(SealedCandidate s) {
    byte[] header = sealedHeader(s);
    byte[] ct = s.ciphertext();
    ByteArrayOutputStream out = new ByteArrayOutputStream(header.length + ct.length + 3);
    out.writeBytes(header);
    // Byte string head (major type 2), shortest form; the ciphertext is at most 1,044 bytes.
    if (ct.length < 24) {
      out.write(0x40 | ct.length);
    } else if (ct.length < 256) {
      out.write(0x58);
      out.write(ct.length);
    } else {
      out.write(0x59);
      out.write(ct.length >>> 8);
      out.write(ct.length & 0xff);
    }
    out.writeBytes(ct);
    return out.toByteArray();
  }

  /**
   * The encoded version-2 array up to, not including, the ciphertext: the array head, fields 0..7,
   * key id and ephemeral key, in the shortest encoding. It is the AES-GCM associated data, so no
   * header field can be changed or moved to another sealed body.
   */
  public static byte[] sealedHeader(SealedCandidate s) {
    return sealedHeader(
        s.device(),
        s.sequence(),
        s.captureTimeMillis(),
        s.trackId(),
        s.qualityPermille(),
        s.box(),
        s.model(),
        s.keyId(),
        s.ephemeralKey());
  }

  /** {@link #sealedHeader(SealedCandidate)} for {@code c}'s header, before it is sealed. */
  public static byte[] sealedHeader(Candidate c, byte[] keyId, byte[] ephemeralKey) {
    return sealedHeader(
        c.device(),
        c.sequence(),
        c.captureTimeMillis(),
        c.trackId(),
        c.qualityPermille(),
        c.box(),
        c.model(),
        keyId,
        ephemeralKey);
  }

  private static byte[] sealedHeader(
      String device,
      long sequence,
      long time,
      int track,
      int quality,
      Box b,
      String model,
      byte[] keyId,
      byte[] ephemeralKey) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    try (CBORGenerator g = CBOR.createGenerator(out)) {
      // The array stays open (the ciphertext follows): close() must not try to finish it.
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_JSON_CONTENT);
      g.writeStartArray(null, SEALED_FIELDS);
      g.writeNumber(SEALED_VERSION);
      g.writeString(device);
      g.writeNumber(sequence);
      g.writeNumber(time);
      g.writeNumber(track);
      g.writeNumber(quality);
      g.writeStartArray(null, 4);
      g.writeNumber(b.x());
      g.writeNumber(b.y());
      g.writeNumber(b.width());
      g.writeNumber(b.height());
      g.writeEndArray();
      g.writeString(model);
      g.writeBinary(keyId);
      g.writeBinary(ephemeralKey);
    } catch (IOException e) {
      throw new UncheckedIOException("CBOR encoding to memory failed", e);
    }
    return out.toByteArray();
  }

  /**
   * Decodes a plain (version-1) candidate.
   *
   * @param payload the MQTT payload; may be null or empty (rejected)
   * @throws MalformedMessageException with the precise reason for anything that is not a valid
   *     version-1 candidate: not CBOR, wrong shape or type, unknown version (a sealed version-2
   *     candidate included), out-of-range or NaN field, CBOR tag, trailing bytes, oversized
   *     payload. Never any other exception.
   */
  public static Candidate decode(byte[] payload) {
    return (Candidate) decode(payload, false);
  }

  /**
   * Decodes a sealed (version-2) candidate without opening it.
   *
   * @throws MalformedMessageException for anything but a well-formed version-2 candidate
   */
  public static SealedCandidate decodeSealed(byte[] payload) {
    CandidatePayload p = decodeAny(payload);
    if (p instanceof SealedCandidate s) {
      return s;
    }
    throw new MalformedMessageException(
        "candidate: version " + VERSION + " is not sealed, expected version " + SEALED_VERSION);
  }

  /**
   * Decodes a plain or a sealed candidate, whichever field 0 says.
   *
   * @throws MalformedMessageException as {@link #decode}, for versions other than 1 and 2
   */
  public static CandidatePayload decodeAny(byte[] payload) {
    return decode(payload, true);
  }

  private static CandidatePayload decode(byte[] payload, boolean sealedToo) {
    if (payload == null || payload.length == 0) {
      throw new MalformedMessageException("candidate: empty payload");
    }
    if (payload.length > MAX_PAYLOAD_BYTES) {
      throw new MalformedMessageException(
          "candidate: payload of " + payload.length + " bytes exceeds " + MAX_PAYLOAD_BYTES);
    }
    try (CBORParser p = CBOR.createParser(payload)) {
      return new CandidateReader(p, payload.length, sealedToo).read();
    } catch (MalformedMessageException e) {
      throw e;
    } catch (JacksonException e) {
      throw new MalformedMessageException(
          "candidate: not valid CBOR: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new MalformedMessageException("candidate: unreadable payload: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new MalformedMessageException("candidate: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      // The contract is "only MalformedMessageException": a parser bug on hostile input must
      // not crash a matcher. The fuzz tests fail on this branch, so it is not a hiding place.
      throw new MalformedMessageException("candidate: undecodable payload (" + e + ")", e);
    }
  }

  /** Reads one candidate from a parser positioned before the array; one per decode call. */
  private static final class CandidateReader {
    private final CBORParser p;
    private final int length;
    private final boolean sealedToo;
    private int fields = FIELDS;

    CandidateReader(CBORParser p, int length, boolean sealedToo) {
      this.p = p;
      this.length = length;
      this.sealedToo = sealedToo;
    }

    CandidatePayload read() throws IOException {
      JsonToken t = next();
      if (t != JsonToken.START_ARRAY) {
        throw malformed("must be a CBOR array, found " + describe(t));
      }
      int version = (int) readLong(0, "version", 0, Integer.MAX_VALUE);
      if (version == SEALED_VERSION && sealedToo) {
        fields = SEALED_FIELDS;
      } else if (version != VERSION) {
        throw malformed(
            "unsupported version "
                + version
                + ", this decoder reads "
                + VERSION
                + (version == SEALED_VERSION
                    ? " (version 2 is sealed: open it with the matcher's key)"
                    : sealedToo ? " and 2 (sealed)" : ""));
      }
      String device = readText(1, "device", Ids.MAX_LENGTH);
      if (!Ids.isValidDevice(device)) {
        throw malformed(
            Ids.isValid(device)
                ? "device (field 1) " + Printable.quote(device) + " is reserved"
                : Ids.describeInvalid("device (field 1)", device));
      }
      long sequence = readLong(2, "sequence", 0, Long.MAX_VALUE);
      long time = readLong(3, "captureTimeMillis", 0, Candidate.MAX_CAPTURE_TIME_MILLIS);
      int track = (int) readLong(4, "trackId", 0, Integer.MAX_VALUE);
      int quality = (int) readLong(5, "qualityPermille", 0, 1000);
      Box box = readBox();
      String model = readText(7, "model", Candidate.MAX_MODEL_TAG);
      if (!Candidate.isValidModelTag(model)) {
        throw malformed(
            "model (field 7) must be 1.."
                + Candidate.MAX_MODEL_TAG
                + " visible ASCII characters, was "
                + Printable.quote(model));
      }
      if (version == SEALED_VERSION) {
        byte[] keyId =
            readSized(8, "keyId", SealedCandidate.KEY_ID_BYTES, SealedCandidate.KEY_ID_BYTES);
        byte[] ephemeral =
            readSized(
                9,
                "ephemeralKey",
                SealedCandidate.EPHEMERAL_KEY_BYTES,
                SealedCandidate.EPHEMERAL_KEY_BYTES);
        byte[] ciphertext =
            readSized(
                10, "ciphertext", SealedCandidate.MIN_CIPHERTEXT, SealedCandidate.MAX_CIPHERTEXT);
        requireArrayEnd();
        return new SealedCandidate(
            device, sequence, time, track, quality, box, model, keyId, ephemeral, ciphertext);
      }
      byte[] values = readBytes(8, "embedding");
      float scale = readScale(9);
      requireArrayEnd();
      return new Candidate(
          device, sequence, time, track, quality, box, model, new Int8Embedding(values, scale));
    }

    private void requireArrayEnd() throws IOException {
      JsonToken t = next();
      if (t != JsonToken.END_ARRAY) {
        throw malformed(
            "array must have exactly " + fields + " fields, found more: " + describe(t));
      }
      requireEnd();
    }

    private byte[] readSized(int index, String field, int min, int max) throws IOException {
      JsonToken t = nextField(index, field);
      if (t != JsonToken.VALUE_EMBEDDED_OBJECT) {
        throw malformed(label(index, field) + " must be a byte string, found " + describe(t));
      }
      byte[] b = p.getBinaryValue();
      if (b.length < min || b.length > max) {
        throw malformed(
            label(index, field)
                + " must be "
                + (min == max ? min : min + ".." + max)
                + " bytes, was "
                + b.length);
      }
      return b;
    }

    private Box readBox() throws IOException {
      JsonToken t = nextField(6, "box");
      if (t != JsonToken.START_ARRAY) {
        throw malformed("box (field 6) must be an array of 4 integers, found " + describe(t));
      }
      String[] names = {"x", "y", "width", "height"};
      int[] v = new int[4];
      for (int i = 0; i < 4; i++) {
        t = next();
        if (t == JsonToken.END_ARRAY) {
          throw malformed("box (field 6) must have exactly 4 numbers, had " + i);
        }
        v[i] = (int) checkLong(t, "box." + names[i] + " (field 6)", 0, Box.MAX_COORDINATE);
      }
      t = next();
      if (t != JsonToken.END_ARRAY) {
        throw malformed("box (field 6) must have exactly 4 numbers, found more: " + describe(t));
      }
      return new Box(v[0], v[1], v[2], v[3]);
    }

    private byte[] readBytes(int index, String field) throws IOException {
      JsonToken t = nextField(index, field);
      if (t != JsonToken.VALUE_EMBEDDED_OBJECT) {
        throw malformed(label(index, field) + " must be a byte string, found " + describe(t));
      }
      byte[] values = p.getBinaryValue();
      if (values.length == 0 || values.length > Int8Embedding.MAX_DIMENSIONS) {
        throw malformed(
            label(index, field)
                + " has "
                + values.length
                + " dimensions, expected 1.."
                + Int8Embedding.MAX_DIMENSIONS);
      }
      for (byte b : values) {
        if (b != 0) {
          return values;
        }
      }
      throw malformed(label(index, field) + " is all zero");
    }

    private float readScale(int index) throws IOException {
      JsonToken t = nextField(index, "scale");
      JsonParser.NumberType type = t == JsonToken.VALUE_NUMBER_FLOAT ? p.getNumberType() : null;
      if (type != JsonParser.NumberType.FLOAT && type != JsonParser.NumberType.DOUBLE) {
        String found =
            type == JsonParser.NumberType.BIG_DECIMAL ? "a CBOR decimal (tag 4/5)" : describe(t);
        throw malformed(label(index, "scale") + " must be a CBOR float, found " + found);
      }
      double d = p.getDoubleValue();
      float f = (float) d;
      if (!(d > 0) || !Float.isFinite(f) || f == 0f || !Float.isFinite(f * 127f)) {
        throw malformed(
            label(index, "scale") + " must be > 0 with 127 * scale a finite float32, was " + d);
      }
      return f;
    }

    private String readText(int index, String field, int maxLength) throws IOException {
      JsonToken t = nextField(index, field);
      if (t != JsonToken.VALUE_STRING) {
        throw malformed(label(index, field) + " must be a text string, found " + describe(t));
      }
      String s = p.getText();
      if (s.length() > maxLength) {
        throw malformed(
            label(index, field) + " is " + s.length() + " characters, at most " + maxLength);
      }
      return s;
    }

    private long readLong(int index, String field, long min, long max) throws IOException {
      return checkLong(nextField(index, field), label(index, field), min, max);
    }

    private long checkLong(JsonToken t, String label, long min, long max) throws IOException {
      if (t != JsonToken.VALUE_NUMBER_INT) {
        throw malformed(label + " must be an unsigned integer, found " + describe(t));
      }
      if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
        // The parser turns 64-bit values outside long and bignum tags 2/3 alike into BigInteger.
        BigInteger big = p.getBigIntegerValue();
        if (big.bitLength() < 64) {
          throw malformed(label + " must not be a CBOR bignum (tag 2/3)");
        }
        throw malformed(label + " must be in " + min + ".." + max + ", was " + big);
      }
      long v = p.getLongValue();
      if (v < min || v > max) {
        throw malformed(label + " must be in " + min + ".." + max + ", was " + v);
      }
      return v;
    }

    /** The next top-level field; a premature end of the array names the missing field. */
    private JsonToken nextField(int index, String field) throws IOException {
      JsonToken t = next();
      if (t == JsonToken.END_ARRAY) {
        throw malformed(
            "array must have exactly "
                + fields
                + " fields, had "
                + index
                + " (missing "
                + label(index, field)
                + ")");
      }
      return t;
    }

    private JsonToken next() throws IOException {
      JsonToken t = p.nextToken();
      int tag = p.getCurrentTag();
      if (tag != -1) {
        throw malformed("CBOR tag " + tag + " is not allowed");
      }
      return t;
    }

    private void requireEnd() throws IOException {
      long consumed = p.currentLocation().getByteOffset();
      JsonToken t;
      try {
        t = p.nextToken();
      } catch (JacksonException e) {
        t = JsonToken.NOT_AVAILABLE;
      }
      if (t != null || consumed != length) {
        throw malformed(
            "trailing bytes after the array (array ends at byte "
                + consumed
                + " of "
                + length
                + ")");
      }
    }

    private static String label(int index, String field) {
      return field + " (field " + index + ")";
    }

    private static MalformedMessageException malformed(String reason) {
      return new MalformedMessageException("candidate: " + reason);
    }

    private static String describe(JsonToken t) {
      if (t == null) {
        return "end of data";
      }
      return switch (t) {
        case START_ARRAY -> "an array";
        case END_ARRAY -> "end of array";
        case START_OBJECT -> "a map";
        case END_OBJECT -> "end of map";
        case FIELD_NAME -> "a map key";
        case VALUE_STRING -> "a text string";
        case VALUE_EMBEDDED_OBJECT -> "a byte string";
        case VALUE_NUMBER_INT -> "an integer";
        case VALUE_NUMBER_FLOAT -> "a float";
        case VALUE_TRUE, VALUE_FALSE -> "a boolean";
        case VALUE_NULL -> "null";
        default -> t.name();
      };
    }
  }
}
