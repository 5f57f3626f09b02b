package io.edgecam.protocol.seal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** HKDF-SHA256 against the test vectors of RFC 5869 appendix A (cases 1 to 3). */
class HkdfTest {
  private static final HexFormat HEX = HexFormat.of();

  private static byte[] hex(String s) {
    return HEX.parseHex(s);
  }

  @Test
  void rfc5869Case1Basic() {
    byte[] ikm = hex("0b".repeat(22));
    byte[] salt = hex("000102030405060708090a0b0c");
    byte[] info = hex("f0f1f2f3f4f5f6f7f8f9");
    byte[] prk = Hkdf.extract(salt, ikm);
    assertThat(HEX.formatHex(prk))
        .isEqualTo("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5");
    assertThat(HEX.formatHex(Hkdf.expand(prk, info, 42)))
        .isEqualTo(
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
  }

  @Test
  void rfc5869Case2LongInputsAndOutput() {
    StringBuilder ikm = new StringBuilder();
    StringBuilder salt = new StringBuilder();
    StringBuilder info = new StringBuilder();
    for (int i = 0; i < 80; i++) {
      ikm.append(String.format("%02x", i));
      salt.append(String.format("%02x", 0x60 + i));
      info.append(String.format("%02x", 0xb0 + i));
    }
    byte[] prk = Hkdf.extract(hex(salt.toString()), hex(ikm.toString()));
    assertThat(HEX.formatHex(prk))
        .isEqualTo("06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244");
    assertThat(HEX.formatHex(Hkdf.expand(prk, hex(info.toString()), 82)))
        .isEqualTo(
            "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
                + "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
                + "cc30c58179ec3e87c14c01d5c1f3434f1d87");
  }

  @Test
  void rfc5869Case3EmptySaltAndInfo() {
    byte[] prk = Hkdf.extract(new byte[0], hex("0b".repeat(22)));
    assertThat(HEX.formatHex(prk))
        .isEqualTo("19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04");
    assertThat(HEX.formatHex(Hkdf.derive(new byte[0], hex("0b".repeat(22)), new byte[0], 42)))
        .isEqualTo(
            "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
  }

  @Test
  void expandCoversEveryLengthUpToTheMaximumAndRefusesMore() {
    byte[] prk = Hkdf.extract(new byte[0], new byte[] {1});
    byte[] longest = Hkdf.expand(prk, new byte[0], Hkdf.MAX_OUTPUT);
    assertThat(longest).hasSize(255 * 32);
    // Every prefix length gives the prefix of the longest output (blocks are chained, not cut).
    for (int n : new int[] {0, 1, 31, 32, 33, 64, 100}) {
      byte[] out = Hkdf.expand(prk, new byte[0], n);
      assertThat(out).hasSize(n);
      assertThat(out).isEqualTo(java.util.Arrays.copyOf(longest, n));
    }
    assertThatThrownBy(() -> Hkdf.expand(prk, new byte[0], Hkdf.MAX_OUTPUT + 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0..8160");
    assertThatThrownBy(() -> Hkdf.expand(new byte[16], new byte[0], 8))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 32 bytes");
  }
}
