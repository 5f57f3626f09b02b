package io.edgecam.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** A hand-rolled CBOR writer for building exact (and exactly wrong) test payloads. */
final class Cbor {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  static Cbor of() {
    return new Cbor();
  }

  Cbor head(int major, long arg) {
    int m = major << 5;
    if (arg >= 0 && arg < 24) {
      out.write(m | (int) arg);
    } else if (arg >= 0 && arg < 0x100) {
      out.write(m | 24);
      out.write((int) arg);
    } else if (arg >= 0 && arg < 0x10000) {
      out.write(m | 25);
      writeBe(arg, 2);
    } else if (arg >= 0 && arg < 0x1_0000_0000L) {
      out.write(m | 26);
      writeBe(arg, 4);
    } else {
      out.write(m | 27);
      writeBe(arg, 8);
    }
    return this;
  }

  Cbor uint(long v) {
    return head(0, v);
  }

  /** The negative integer {@code -1 - n}. */
  Cbor nint(long n) {
    return head(1, n);
  }

  Cbor bytes(byte[] b) {
    head(2, b.length);
    out.writeBytes(b);
    return this;
  }

  Cbor text(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    head(3, b.length);
    out.writeBytes(b);
    return this;
  }

  Cbor array(int n) {
    return head(4, n);
  }

  Cbor map(int n) {
    return head(5, n);
  }

  Cbor tag(long t) {
    return head(6, t);
  }

  Cbor float32(float f) {
    out.write(0xfa);
    writeBe(Float.floatToRawIntBits(f) & 0xffff_ffffL, 4);
    return this;
  }

  Cbor float64(double d) {
    out.write(0xfb);
    writeBe(Double.doubleToRawLongBits(d), 8);
    return this;
  }

  Cbor raw(int... bytes) {
    for (int b : bytes) {
      out.write(b);
    }
    return this;
  }

  Cbor raw(byte[] bytes) {
    out.writeBytes(bytes);
    return this;
  }

  byte[] build() {
    return out.toByteArray();
  }

  private void writeBe(long v, int n) {
    for (int i = n - 1; i >= 0; i--) {
      out.write((int) (v >>> (8 * i)) & 0xff);
    }
  }
}
