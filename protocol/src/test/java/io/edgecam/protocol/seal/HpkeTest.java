package io.edgecam.protocol.seal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.HexFormat;
import javax.crypto.AEADBadTagException;
import org.junit.jupiter.api.Test;

/**
 * HPKE base mode against RFC 9180 appendix A.1.1 (DHKEM(X25519, HKDF-SHA256), HKDF-SHA256,
 * AES-128-GCM): the same KEM and key schedule as the candidates' AES-256-GCM suite, which differs
 * only in the AEAD id and key length.
 */
class HpkeTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] INFO = HEX.parseHex("4f6465206f6e2061204772656369616e2055726e");
  private static final byte[] SK_E =
      HEX.parseHex("52c4a758a802cd8b936eceea314432798d5baf2d7e9235dc084ab1b9cfa2f736");
  private static final byte[] PK_E =
      HEX.parseHex("37fda3567bdbd628e88668c3c8d7e97d1d1253b6d4ea6d44c150f741f1bf4431");
  private static final byte[] SK_R =
      HEX.parseHex("4612c550263fc8ad58375df3f557aac531d26850903e55a9f23f21d8534e8ac8");
  private static final byte[] PK_R =
      HEX.parseHex("3948cfe0ad1ddb695d780e59077195da6c56506b027329794ab02bca80815c4d");
  private static final byte[] PT =
      HEX.parseHex("4265617574792069732074727574682c20747275746820626561757479");
  private static final byte[] AAD_0 = "Count-0".getBytes(StandardCharsets.US_ASCII);

  static KeyPair fixedEphemeral() {
    return new KeyPair(X25519.publicKey(PK_E), X25519.privateKey(SK_E));
  }

  @Test
  void publicKeysDeriveFromPrivateKeysAsInTheRfc() {
    assertThat(X25519.publicOf(X25519.privateKey(SK_E))).isEqualTo(PK_E);
    assertThat(SealingKeyPair.ofRawPrivate(SK_R).publicKey().raw()).isEqualTo(PK_R);
    assertThat(X25519.raw(X25519.publicKey(PK_R))).isEqualTo(PK_R);
  }

  @Test
  void sharedSecretKeyAndNonceMatchRfc9180A11() throws Exception {
    byte[] dh = X25519.dh(X25519.privateKey(SK_E), X25519.publicKey(PK_R));
    byte[] shared = Hpke.sharedSecret(dh, Hpke.concat(PK_E, PK_R));
    assertThat(HEX.formatHex(shared))
        .isEqualTo("fe0e18c9f024ce43799ae393c7e8fe8fce9d218875e8227b0187c04e7d2ea1fc");
    byte[][] keyAndNonce = new Hpke(Hpke.Aead.AES_128_GCM).keySchedule(shared, INFO);
    assertThat(HEX.formatHex(keyAndNonce[0])).isEqualTo("4531685d41d65f03dc48f6b8302c05b0");
    assertThat(HEX.formatHex(keyAndNonce[1])).isEqualTo("56d890e5accaaf011cff4b7d");
  }

  @Test
  void sealsAndOpensTheRfcMessage() throws Exception {
    Hpke hpke = new Hpke(Hpke.Aead.AES_128_GCM);
    Hpke.Sealed s = hpke.seal(PK_R, INFO, AAD_0, PT, fixedEphemeral());
    assertThat(s.enc()).isEqualTo(PK_E);
    assertThat(HEX.formatHex(s.ciphertext()))
        .isEqualTo(
            "f938558b5d72f1a23810b4be2ab4f84331acc02fc97babc53a52ae8218a355a9"
                + "6d8770ac83d07bea87e13c512a");
    assertThat(hpke.open(X25519.privateKey(SK_R), PK_R, s.enc(), INFO, AAD_0, s.ciphertext()))
        .isEqualTo(PT);
  }

  @Test
  void aes256SuiteRoundTripsAndDiffersFromTheAes128One() throws Exception {
    Hpke hpke = new Hpke(Hpke.Aead.AES_256_GCM);
    Hpke.Sealed s = hpke.seal(PK_R, INFO, AAD_0, PT, fixedEphemeral());
    assertThat(s.ciphertext()).hasSize(PT.length + 16);
    assertThat(hpke.open(X25519.privateKey(SK_R), PK_R, s.enc(), INFO, AAD_0, s.ciphertext()))
        .isEqualTo(PT);
    Hpke.Sealed s128 =
        new Hpke(Hpke.Aead.AES_128_GCM).seal(PK_R, INFO, AAD_0, PT, fixedEphemeral());
    assertThat(s.ciphertext()).isNotEqualTo(s128.ciphertext());
  }

  @Test
  void openingWithAnotherKeyOrContextFails() throws Exception {
    Hpke hpke = new Hpke(Hpke.Aead.AES_256_GCM);
    Hpke.Sealed s = hpke.seal(PK_R, INFO, AAD_0, PT);
    SealingKeyPair other = SealingKeyPair.generate();
    assertThatThrownBy(
            () ->
                hpke.open(
                    other.privateKey(),
                    other.publicKey().raw(),
                    s.enc(),
                    INFO,
                    AAD_0,
                    s.ciphertext()))
        .isInstanceOf(AEADBadTagException.class);
    // The right private key with a wrong idea of its public key (the KEM context) fails too.
    assertThatThrownBy(
            () ->
                hpke.open(
                    X25519.privateKey(SK_R),
                    other.publicKey().raw(),
                    s.enc(),
                    INFO,
                    AAD_0,
                    s.ciphertext()))
        .isInstanceOf(AEADBadTagException.class);
    assertThatThrownBy(
            () ->
                hpke.open(
                    X25519.privateKey(SK_R),
                    PK_R,
                    s.enc(),
                    "other".getBytes(StandardCharsets.US_ASCII),
                    AAD_0,
                    s.ciphertext()))
        .isInstanceOf(AEADBadTagException.class);
  }

  @Test
  void lowOrderEphemeralKeyIsRefused() {
    // u = 0 and u = 1 are points of small order: X25519 gives all zeros, which must not be used.
    Hpke hpke = new Hpke(Hpke.Aead.AES_256_GCM);
    for (byte[] enc : new byte[][] {new byte[32], HEX.parseHex("01" + "00".repeat(31))}) {
      assertThatThrownBy(
              () -> hpke.open(X25519.privateKey(SK_R), PK_R, enc, INFO, AAD_0, new byte[32]))
          .isInstanceOf(java.security.InvalidKeyException.class);
    }
  }
}
