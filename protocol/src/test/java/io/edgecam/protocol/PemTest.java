package io.edgecam.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import org.junit.jupiter.api.Test;

class PemTest {
  @Test
  void encodedBlockDecodesToTheSameBytesAmongOtherBlocks() throws Exception {
    KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    String text =
        Pem.encode("PUBLIC KEY", pair.getPublic().getEncoded())
            + Pem.encode("PRIVATE KEY", pair.getPrivate().getEncoded());

    assertThat(text)
        .startsWith("-----BEGIN PUBLIC KEY-----\n")
        .endsWith("-----END PRIVATE KEY-----\n");
    assertThat(Pem.decode("PRIVATE KEY", text)).isEqualTo(pair.getPrivate().getEncoded());
    assertThat(Pem.decode("PUBLIC KEY", text)).isEqualTo(pair.getPublic().getEncoded());
    PrivateKey back = Pem.privateKey(Pem.decode("PRIVATE KEY", text), "RSA", "EC", "Ed25519");
    assertThat(back.getAlgorithm()).isIn("Ed25519", "EdDSA");
  }

  @Test
  void linesOfSixtyFourCharactersAsOpenSslWrites() {
    String text = Pem.encode("CERTIFICATE", new byte[100]);
    assertThat(text.lines().skip(1).findFirst().orElseThrow()).hasSize(64);
  }

  @Test
  void encryptedKeyIsNotTakenForAnUnencryptedOne() {
    String text = Pem.encode("ENCRYPTED PRIVATE KEY", new byte[] {1, 2, 3});
    assertThat(Pem.has("ENCRYPTED PRIVATE KEY", text)).isTrue();
    assertThat(Pem.has("PRIVATE KEY", text)).isFalse();
    assertThatThrownBy(() -> Pem.decode("PRIVATE KEY", text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no PRIVATE KEY block ('-----BEGIN PRIVATE KEY-----' line)");
  }

  @Test
  void missingEndLineAndBadBase64AreNamed() {
    assertThatThrownBy(() -> Pem.decode("PUBLIC KEY", "-----BEGIN PUBLIC KEY-----\nAAAA\n"))
        .hasMessage("no PUBLIC KEY block ('-----END PUBLIC KEY-----' line)");
    assertThatThrownBy(
            () ->
                Pem.decode(
                    "PUBLIC KEY", "-----BEGIN PUBLIC KEY-----\n@@@@\n-----END PUBLIC KEY-----\n"))
        .hasMessage("invalid base64 in the PUBLIC KEY block");
  }

  @Test
  void keyOfAnotherAlgorithmIsRefusedNamingTheOnesTried() throws Exception {
    byte[] x25519 =
        KeyPairGenerator.getInstance("X25519").generateKeyPair().getPrivate().getEncoded();
    assertThatThrownBy(() -> Pem.privateKey(x25519, "EC", "Ed25519"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a PKCS#8 key of EC or Ed25519");
  }
}
