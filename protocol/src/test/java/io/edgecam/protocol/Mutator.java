package io.edgecam.protocol;

import java.util.HexFormat;
import java.util.Random;

/** Seeded byte-level mutations: bit flips, byte overwrites, inserts, deletes, splices. */
final class Mutator {
  private static final int[] INTERESTING = {
    0x00, 0x17, 0x18, 0x1b, 0x1f, 0x3b, 0x5f, 0x7f, 0x80, 0x9f, 0xbf, 0xc0, 0xd8, 0xf4, 0xf6, 0xf7,
    0xf9, 0xfa, 0xfb, 0xff, '{', '}', '[', ']', '"', ':', ',', '0', '-', 'e', 'n'
  };

  private Mutator() {}

  static byte[] mutate(Random random, byte[] seed) {
    byte[] b = seed.clone();
    int rounds = 1 + random.nextInt(4);
    for (int r = 0; r < rounds; r++) {
      b = once(random, b);
    }
    return b;
  }

  private static byte[] once(Random random, byte[] b) {
    if (b.length == 0) {
      return new byte[] {(byte) random.nextInt(256)};
    }
    int at = random.nextInt(b.length);
    switch (random.nextInt(6)) {
      case 0 -> b[at] ^= (byte) (1 << random.nextInt(8));
      case 1 -> b[at] = (byte) INTERESTING[random.nextInt(INTERESTING.length)];
      case 2 -> b[at] = (byte) random.nextInt(256);
      case 3 -> {
        byte[] out = new byte[b.length + 1];
        System.arraycopy(b, 0, out, 0, at);
        out[at] =
            (byte)
                (random.nextBoolean()
                    ? random.nextInt(256)
                    : INTERESTING[random.nextInt(INTERESTING.length)]);
        System.arraycopy(b, at, out, at + 1, b.length - at);
        return out;
      }
      case 4 -> {
        byte[] out = new byte[b.length - 1];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(b, at + 1, out, at, b.length - at - 1);
        return out;
      }
      default -> {
        // Duplicate a slice: repeats structure (nesting, fields).
        int len = Math.min(1 + random.nextInt(16), b.length - at);
        byte[] out = new byte[b.length + len];
        System.arraycopy(b, 0, out, 0, at + len);
        System.arraycopy(b, at, out, at + len, b.length - at);
        return out;
      }
    }
    return b;
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
