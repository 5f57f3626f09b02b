package io.edgecam.face.image;

/**
 * Reads the EXIF orientation tag (0x0112) from JPEG bytes without a metadata library: finds the
 * APP1 "Exif" segment, then IFD0 of its TIFF structure. Anything unexpected means "no rotation".
 */
final class ExifOrientation {
  /** Orientation 1: stored as displayed. */
  static final int NORMAL = 1;

  private static final int TAG_ORIENTATION = 0x0112;

  private ExifOrientation() {}

  /** The orientation (1..8), or {@link #NORMAL} when absent, malformed or not a JPEG. */
  static int read(byte[] jpeg) {
    if (jpeg.length < 4 || (jpeg[0] & 0xff) != 0xFF || (jpeg[1] & 0xff) != 0xD8) {
      return NORMAL;
    }
    int pos = 2;
    while (pos + 4 <= jpeg.length) {
      if ((jpeg[pos] & 0xff) != 0xFF) {
        return NORMAL;
      }
      int marker = jpeg[pos + 1] & 0xff;
      if (marker == 0xD9 || marker == 0xDA) {
        return NORMAL; // end of image or start of scan: metadata segments come before
      }
      int length = u16(jpeg, pos + 2, true);
      if (length < 2 || pos + 2 + length > jpeg.length) {
        return NORMAL;
      }
      if (marker == 0xE1 && length >= 8 && isExifHeader(jpeg, pos + 4)) {
        return fromTiff(jpeg, pos + 10, pos + 2 + length);
      }
      pos += 2 + length;
    }
    return NORMAL;
  }

  private static boolean isExifHeader(byte[] b, int at) {
    return b[at] == 'E'
        && b[at + 1] == 'x'
        && b[at + 2] == 'i'
        && b[at + 3] == 'f'
        && b[at + 4] == 0
        && b[at + 5] == 0;
  }

  private static int fromTiff(byte[] b, int tiff, int end) {
    if (tiff + 8 > end) {
      return NORMAL;
    }
    boolean bigEndian;
    if (b[tiff] == 'M' && b[tiff + 1] == 'M') {
      bigEndian = true;
    } else if (b[tiff] == 'I' && b[tiff + 1] == 'I') {
      bigEndian = false;
    } else {
      return NORMAL;
    }
    long ifd = u32(b, tiff + 4, bigEndian);
    if (ifd < 8 || tiff + ifd + 2 > end) {
      return NORMAL;
    }
    int entries = tiff + (int) ifd;
    int count = u16(b, entries, bigEndian);
    for (int i = 0; i < count; i++) {
      int entry = entries + 2 + 12 * i;
      if (entry + 12 > end) {
        return NORMAL;
      }
      if (u16(b, entry, bigEndian) == TAG_ORIENTATION) {
        int value = u16(b, entry + 8, bigEndian); // SHORT, stored left-justified in the field
        return value >= 1 && value <= 8 ? value : NORMAL;
      }
    }
    return NORMAL;
  }

  private static int u16(byte[] b, int at, boolean bigEndian) {
    int b0 = b[at] & 0xff;
    int b1 = b[at + 1] & 0xff;
    return bigEndian ? (b0 << 8) | b1 : (b1 << 8) | b0;
  }

  private static long u32(byte[] b, int at, boolean bigEndian) {
    long hi = u16(b, bigEndian ? at : at + 2, bigEndian);
    long lo = u16(b, bigEndian ? at + 2 : at, bigEndian);
    return (hi << 16) | lo;
  }
}
