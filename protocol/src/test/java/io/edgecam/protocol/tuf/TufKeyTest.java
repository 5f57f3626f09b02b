package io.edgecam.protocol.tuf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class TufKeyTest {
  @Test
  void keyIdIsSha256OfCanonicalKeyObject() {
    // Computed with tuf-js: sha256(canonicalize({keytype, scheme, keyval:{public}})).
    TufKey key = new TufKey("3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29");
    assertThat(new String(CanonicalJson.encode(key.toJson()), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"keytype\":\"ed25519\",\"keyval\":{\"public\":"
                + "\"3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29\"},\"scheme\":\"ed25519\"}");
    assertThat(key.keyId())
        .isEqualTo("4cc3f338069d638e761ed397f5c53df4129a276face46a446c202617331ca1b3");
  }

  @Test
  void verifiesRfc8032TestVector1() {
    TufKey key = new TufKey("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    byte[] sig =
        HexFormat.of()
            .parseHex(
                "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
    assertThat(key.verifies(new byte[0], sig)).isTrue();
    assertThat(key.verifies(new byte[] {1}, sig)).isFalse();
  }

  @Test
  void jdkKeyRoundTripsThroughRawHex() {
    SigningKey signer = SigningKey.generate();
    TufKey pub = signer.publicKey();
    assertThat(TufKey.of(pub.toPublicKey())).isEqualTo(pub);
    byte[] data = "signed".getBytes(StandardCharsets.UTF_8);
    assertThat(pub.verifies(data, signer.sign(data))).isTrue();
    SigningKey reloaded =
        SigningKey.fromEncoded(signer.privateEncoded(), pub.toPublicKey().getEncoded());
    assertThat(pub.verifies(data, reloaded.sign(data))).isTrue();
    assertThat(signer.toString()).doesNotContain(HexFormat.of().formatHex(signer.privateEncoded()));
  }
}
