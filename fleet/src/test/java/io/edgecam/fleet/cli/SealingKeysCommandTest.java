package io.edgecam.fleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgecam.matcher.config.ConfigException;
import io.edgecam.matcher.config.MatcherConfig;
import io.edgecam.protocol.seal.SealingKeyPair;
import io.edgecam.protocol.seal.SealingPublicKey;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SealingKeysCommandTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cl = new CommandLine(new SealingKeysCommand());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Test
  void writesAPrivateKeyOnlyItsOwnerCanReadAndTheMatchingPublicKey() throws Exception {
    assertThat(run("--out", dir.resolve("keys").toString(), "--json")).isZero();
    Path key = dir.resolve("keys/matcher-sealing.key");
    Path pub = dir.resolve("keys/matcher-sealing.pub");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
    SealingKeyPair pair = SealingKeyPair.read(key);
    assertThat(SealingPublicKey.read(pub)).isEqualTo(pair.publicKey());
    assertThat(out.toString())
        .contains("\"key_id\":\"" + pair.publicKey().keyIdHex() + "\"")
        .contains(key.toAbsolutePath().toString());
  }

  @Test
  void neverOverwritesAKeyAndRejectsABadName() throws Exception {
    assertThat(run("--out", dir.toString())).isZero();
    String first = Files.readString(dir.resolve("matcher-sealing.key"));
    assertThat(run("--out", dir.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("exists already");
    assertThat(Files.readString(dir.resolve("matcher-sealing.key"))).isEqualTo(first);
    assertThat(run("--out", dir.toString(), "--name", "../x")).isEqualTo(2);
    assertThat(err.toString()).contains("--name must be");
  }

  @Test
  void keysInteroperateWithOpenssl() throws Exception {
    Assumptions.assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed");
    assertThat(run("--out", dir.toString())).isZero();
    // openssl derives the same public key from our private key file...
    Process p =
        new ProcessBuilder(
                "openssl", "pkey", "-in", dir.resolve("matcher-sealing.key").toString(), "-pubout")
            .redirectErrorStream(true)
            .start();
    String pem = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(SealingPublicKey.fromPem(pem))
        .isEqualTo(SealingPublicKey.read(dir.resolve("matcher-sealing.pub")));
    // ...and we read a key openssl generated.
    Path generated = dir.resolve("openssl.key");
    Process g =
        new ProcessBuilder(
                "openssl", "genpkey", "-algorithm", "X25519", "-out", generated.toString())
            .redirectErrorStream(true)
            .start();
    assertThat(g.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(g.exitValue()).isZero();
    assertThat(SealingKeyPair.read(generated).publicKey().raw()).hasSize(32);
  }

  @Test
  void matcherConfigNamesTheBadKeyFile() throws Exception {
    Path config = dir.resolve("matcher.yaml");
    Files.writeString(dir.resolve("not-a-key.key"), "hello\n");
    Files.writeString(
        config, "sealing:\n  privateKeys: [missing.key, not-a-key.key]\n  required: true\n");
    Assertions.assertThatThrownBy(() -> MatcherConfig.load(config))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("matcher.yaml: sealing.privateKeys[0]: ")
        .hasMessageContaining("missing.key: no such file");
    assertThat(run("--out", dir.toString())).isZero();
    Files.writeString(config, "sealing:\n  privateKeys: [matcher-sealing.key, not-a-key.key]\n");
    Assertions.assertThatThrownBy(() -> MatcherConfig.load(config))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("sealing.privateKeys[1]: ")
        .hasMessageContaining("no PRIVATE KEY block ('-----BEGIN PRIVATE KEY-----' line)");
    Files.writeString(config, "sealing:\n  privateKeys: []\n");
    Assertions.assertThatThrownBy(() -> MatcherConfig.load(config))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("sealing.privateKeys must list 1..2 key files, had 0");
    Files.writeString(config, "sealing:\n  privateKeys: [matcher-sealing.key]\n  required: true\n");
    MatcherConfig ok = MatcherConfig.load(config);
    assertThat(ok.sealing().required()).isTrue();
    assertThat(ok.sealing().opener().keyIds()).hasSize(1);
  }
}
