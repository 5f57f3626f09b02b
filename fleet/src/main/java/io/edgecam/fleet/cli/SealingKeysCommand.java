package io.edgecam.fleet.cli;

import io.edgecam.protocol.seal.SealingKeyPair;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code edgecam keys sealing}: writes a matcher's X25519 key pair for sealed candidates. The
 * private key (PEM PKCS#8, mode 0600) goes into the matcher config ({@code sealing.privateKeys}),
 * the public one to every agent ({@code sealing.matcherPublicKey}).
 */
@Command(
    name = "sealing",
    mixinStandardHelpOptions = true,
    description = {
      "Write a matcher key pair for sealed candidates: DIR/NAME.key (private, mode 0600) and"
          + " DIR/NAME.pub (public, for the agents). Never overwrites a key."
    })
public final class SealingKeysCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      defaultValue = ".",
      description =
          "Folder to write the key files in (created if missing; default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(
      names = "--name",
      defaultValue = "matcher-sealing",
      description = "File name without extension (default: ${DEFAULT-VALUE}).")
  String name;

  @Option(names = "--json", description = "Print the key id and file paths as JSON.")
  boolean json;

  @Override
  public Integer call() throws IOException {
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--name must be 1-64 characters of [A-Za-z0-9._-], was '" + name + "'");
    }
    Files.createDirectories(out);
    Path privateFile = out.resolve(name + ".key");
    Path publicFile = out.resolve(name + ".pub");
    if (Files.exists(privateFile) || Files.exists(publicFile)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          (Files.exists(privateFile) ? privateFile : publicFile)
              + " exists already; choose another --name or --out (keys are never overwritten)");
    }
    SealingKeyPair pair = SealingKeyPair.generate();
    pair.write(privateFile, publicFile);
    PrintWriter o = spec.commandLine().getOut();
    String id = pair.publicKey().keyIdHex();
    if (json) {
      o.printf(
          "{\"key_id\":\"%s\",\"private_key\":\"%s\",\"public_key\":\"%s\"}%n",
          id, jsonEscape(privateFile.toAbsolutePath()), jsonEscape(publicFile.toAbsolutePath()));
    } else {
      o.printf("key id %s%n", id);
      o.printf("private key: %s (mode 0600; matcher: sealing.privateKeys)%n", privateFile);
      o.printf("public key:  %s (agents: sealing.matcherPublicKey)%n", publicFile);
    }
    o.flush();
    return 0;
  }

  private static String jsonEscape(Path p) {
    return p.toString().replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
