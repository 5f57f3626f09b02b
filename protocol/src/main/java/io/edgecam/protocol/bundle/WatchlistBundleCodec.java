package io.edgecam.protocol.bundle;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;
import io.edgecam.protocol.Candidate;
import io.edgecam.protocol.Int8Embedding;
import io.edgecam.protocol.MalformedMessageException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Watchlist bundle encoding, format 1: one CBOR array (docs/protocol.md, "Watchlist bundle").
 *
 * <pre>
 * [1, version, createdMillis, model,
 *   [ [alias, threshold (float32), expiresMillis, [ [embedding (bytes), scale (float32)], ... ]],
 *     ... ]]
 * </pre>
 *
 * CBOR because the embeddings are bytes (192 per face, not 700 characters of JSON numbers) and the
 * candidate codec already uses it. The decoder is strict like {@code CandidateCodec}: exactly this
 * shape, no tags, no trailing bytes, every bound checked, and it throws only {@link
 * MalformedMessageException} with a message naming the field ({@code entries[3].embeddings[0]
 * .scale}). Thread-safe (stateless).
 */
public final class WatchlistBundleCodec {
  /** Payloads larger than this are rejected before parsing (100,000 entries fit). */
  public static final int MAX_PAYLOAD_BYTES = 32 * 1024 * 1024;

  private static final CBORFactory CBOR =
      CBORFactory.builder()
          .enable(CBORGenerator.Feature.WRITE_MINIMAL_INTS)
          .disable(CBORGenerator.Feature.WRITE_TYPE_HEADER)
          .build();

  private WatchlistBundleCodec() {}

  /** Encodes {@code bundle} as a format-1 CBOR array. */
  public static byte[] encode(WatchlistBundle bundle) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + bundle.entries().size() * 256);
    try (CBORGenerator g = CBOR.createGenerator(out)) {
      g.writeStartArray(null, 5);
      g.writeNumber(WatchlistBundle.FORMAT);
      g.writeNumber(bundle.version());
      g.writeNumber(bundle.createdMillis());
      g.writeString(bundle.model());
      g.writeStartArray(null, bundle.entries().size());
      for (WatchlistBundle.Entry e : bundle.entries()) {
        g.writeStartArray(null, 4);
        g.writeString(e.alias());
        g.writeNumber(e.threshold());
        g.writeNumber(e.expiresMillis());
        g.writeStartArray(null, e.embeddings().size());
        for (Int8Embedding emb : e.embeddings()) {
          g.writeStartArray(null, 2);
          g.writeBinary(emb.values());
          g.writeNumber(emb.scale());
          g.writeEndArray();
        }
        g.writeEndArray();
        g.writeEndArray();
      }
      g.writeEndArray();
      g.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException("CBOR encoding to memory failed", e);
    }
    return out.toByteArray();
  }

  /**
   * Decodes a bundle.
   *
   * @throws MalformedMessageException with the precise reason for anything that is not a valid
   *     format-1 bundle: empty or larger than {@value #MAX_PAYLOAD_BYTES} bytes, not CBOR, wrong
   *     shape or type, unknown format, out-of-range value, duplicate alias, mixed dimensions, CBOR
   *     tag, trailing bytes. Never any other exception.
   */
  public static WatchlistBundle decode(byte[] payload) {
    if (payload == null || payload.length == 0) {
      throw new MalformedMessageException("watchlist bundle: empty payload");
    }
    if (payload.length > MAX_PAYLOAD_BYTES) {
      throw new MalformedMessageException(
          "watchlist bundle: "
              + payload.length
              + " bytes exceeds the maximum "
              + MAX_PAYLOAD_BYTES);
    }
    try (CBORParser p = CBOR.createParser(payload)) {
      return new Reader(p, payload.length).read();
    } catch (MalformedMessageException e) {
      throw e;
    } catch (JacksonException e) {
      throw new MalformedMessageException(
          "watchlist bundle: not valid CBOR: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new MalformedMessageException(
          "watchlist bundle: unreadable payload: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new MalformedMessageException("watchlist bundle: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      // The contract is "only MalformedMessageException", whatever the parser does on hostile
      // input; the fuzz test fails if this branch is ever taken.
      throw new MalformedMessageException("watchlist bundle: undecodable payload (" + e + ")", e);
    }
  }

  private static final class Reader {
    private final CBORParser p;
    private final int length;

    Reader(CBORParser p, int length) {
      this.p = p;
      this.length = length;
    }

    WatchlistBundle read() throws IOException {
      startArray("bundle");
      long format = readLong("format (field 0)", 0, Integer.MAX_VALUE);
      if (format != WatchlistBundle.FORMAT) {
        throw malformed(
            "unsupported format " + format + ", this decoder reads " + WatchlistBundle.FORMAT);
      }
      long version = readLong("version (field 1)", 1, Long.MAX_VALUE);
      long created = readLong("createdMillis (field 2)", 0, Candidate.MAX_CAPTURE_TIME_MILLIS);
      String model = readText("model (field 3)", Candidate.MAX_MODEL_TAG);
      if (!Candidate.isValidModelTag(model)) {
        throw malformed("model (field 3) must be 1.." + Candidate.MAX_MODEL_TAG + " visible ASCII");
      }
      startArray("entries (field 4)");
      List<WatchlistBundle.Entry> entries = new ArrayList<>();
      while (peekNotEnd("entries (field 4)")) {
        if (entries.size() == WatchlistBundle.MAX_ENTRIES) {
          throw malformed("entries (field 4): more than " + WatchlistBundle.MAX_ENTRIES);
        }
        entries.add(readEntry("entries[" + entries.size() + "]"));
      }
      endArray("bundle", 5);
      requireEnd();
      try {
        return new WatchlistBundle(version, created, model, entries);
      } catch (IllegalArgumentException e) {
        throw malformed(e.getMessage());
      }
    }

    private WatchlistBundle.Entry readEntry(String at) throws IOException {
      expectStartArray(current(), at);
      String alias = readText(at + ".alias", 64);
      float threshold = readFloat(at + ".threshold");
      long expires = readLong(at + ".expiresMillis", 1, Candidate.MAX_CAPTURE_TIME_MILLIS);
      startArray(at + ".embeddings");
      List<Int8Embedding> embeddings = new ArrayList<>();
      while (peekNotEnd(at + ".embeddings")) {
        String e = at + ".embeddings[" + embeddings.size() + "]";
        if (embeddings.size() == WatchlistBundle.MAX_EMBEDDINGS_PER_ENTRY) {
          throw malformed(
              at + ".embeddings: more than " + WatchlistBundle.MAX_EMBEDDINGS_PER_ENTRY);
        }
        expectStartArray(current(), e);
        byte[] values = readBytes(e + ".values");
        float scale = readFloat(e + ".scale");
        endArray(e, 2);
        try {
          embeddings.add(new Int8Embedding(values, scale));
        } catch (IllegalArgumentException ex) {
          throw malformed(e + ": " + ex.getMessage());
        }
      }
      endArray(at, 4);
      try {
        return new WatchlistBundle.Entry(alias, embeddings, threshold, expires);
      } catch (IllegalArgumentException ex) {
        throw malformed(at + ": " + ex.getMessage());
      }
    }

    private JsonToken current;

    private JsonToken current() {
      return current;
    }

    private JsonToken next(String at) throws IOException {
      current = p.nextToken();
      if (p.getCurrentTag() != -1) {
        throw malformed(at + ": CBOR tag " + p.getCurrentTag() + " is not allowed");
      }
      if (current == null) {
        throw malformed(at + ": truncated (end of data)");
      }
      return current;
    }

    private void startArray(String at) throws IOException {
      expectStartArray(next(at), at);
    }

    private void expectStartArray(JsonToken t, String at) {
      if (t != JsonToken.START_ARRAY) {
        throw malformed(at + " must be an array, found " + describe(t));
      }
    }

    /** Advances; false at the end of the current array. */
    private boolean peekNotEnd(String at) throws IOException {
      return next(at) != JsonToken.END_ARRAY;
    }

    private void endArray(String at, int fields) throws IOException {
      JsonToken t = next(at);
      if (t != JsonToken.END_ARRAY) {
        throw malformed(at + " must have exactly " + fields + " fields, found more");
      }
    }

    private JsonToken field(String at) throws IOException {
      JsonToken t = next(at);
      if (t == JsonToken.END_ARRAY) {
        throw malformed(at + " is missing (array too short)");
      }
      return t;
    }

    private long readLong(String at, long min, long max) throws IOException {
      JsonToken t = field(at);
      if (t != JsonToken.VALUE_NUMBER_INT) {
        throw malformed(at + " must be an unsigned integer, found " + describe(t));
      }
      if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
        throw malformed(at + " must be in " + min + ".." + max + ", was " + p.getBigIntegerValue());
      }
      long v = p.getLongValue();
      if (v < min || v > max) {
        throw malformed(at + " must be in " + min + ".." + max + ", was " + v);
      }
      return v;
    }

    private float readFloat(String at) throws IOException {
      JsonToken t = field(at);
      JsonParser.NumberType type = t == JsonToken.VALUE_NUMBER_FLOAT ? p.getNumberType() : null;
      if (type != JsonParser.NumberType.FLOAT && type != JsonParser.NumberType.DOUBLE) {
        throw malformed(at + " must be a CBOR float, found " + describe(t));
      }
      double d = p.getDoubleValue();
      if (!Double.isFinite(d)) {
        throw malformed(at + " must be finite, was " + d);
      }
      return (float) d;
    }

    private String readText(String at, int maxLength) throws IOException {
      JsonToken t = field(at);
      if (t != JsonToken.VALUE_STRING) {
        throw malformed(at + " must be a text string, found " + describe(t));
      }
      String s = p.getText();
      if (s.length() > maxLength) {
        throw malformed(at + " is " + s.length() + " characters, at most " + maxLength);
      }
      return s;
    }

    private byte[] readBytes(String at) throws IOException {
      JsonToken t = field(at);
      if (t != JsonToken.VALUE_EMBEDDED_OBJECT) {
        throw malformed(at + " must be a byte string, found " + describe(t));
      }
      byte[] b = p.getBinaryValue();
      if (b.length == 0 || b.length > Int8Embedding.MAX_DIMENSIONS) {
        throw malformed(
            at + " has " + b.length + " dimensions, expected 1.." + Int8Embedding.MAX_DIMENSIONS);
      }
      return b;
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
        throw malformed("trailing bytes after the bundle (ends at byte " + consumed + ")");
      }
    }

    private static MalformedMessageException malformed(String reason) {
      return new MalformedMessageException("watchlist bundle: " + reason);
    }

    private static String describe(JsonToken t) {
      if (t == null) {
        return "end of data";
      }
      return switch (t) {
        case START_ARRAY -> "an array";
        case END_ARRAY -> "end of array";
        case START_OBJECT -> "a map";
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
