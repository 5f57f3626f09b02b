package io.edgecam.fleet.cli;

import io.edgecam.fleet.update.KeyDirectory;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code edgecam keys init}: the maintainer's TUF keys. */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = "TUF signing keys for watchlist and model updates (docs/updates.md).",
    subcommands = {KeysCommand.Init.class})
public final class KeysCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code keys init}. */
  @Command(
      name = "init",
      mixinStandardHelpOptions = true,
      description =
          "Create root keys (threshold of several), one key each for targets, snapshot,"
              + " timestamp, watchlist and models, and the watchlist alias key.")
  static final class Init implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", required = true, description = "Key directory.")
    Path dir;

    @Option(
        names = "--root-keys",
        paramLabel = "M",
        defaultValue = "3",
        description = "Number of root keys (default: ${DEFAULT-VALUE}).")
    int rootKeys;

    @Option(
        names = "--root-threshold",
        paramLabel = "N",
        defaultValue = "2",
        description = "Root signatures a client requires (default: ${DEFAULT-VALUE}).")
    int rootThreshold;

    @Option(
        names = "--passphrase-file",
        paramLabel = "FILE",
        description =
            "Encrypt the root keys with the passphrase in FILE (else env EDGECAM_KEY_PASSPHRASE;"
                + " unencrypted if neither).")
    @Nullable Path passphraseFile;

    @Option(names = "--force", description = "Replace existing keys (moved to DIR/retired/).")
    boolean force;

    @Override
    public Integer call() {
      CommandLine cl = spec.commandLine();
      if (rootKeys < 1 || rootKeys > 32 || rootThreshold < 1 || rootThreshold > rootKeys) {
        throw new CommandLine.ParameterException(
            cl, "need 1 <= --root-threshold <= --root-keys <= 32");
      }
      char[] pass = UpdateOptions.passphrase(passphraseFile);
      KeyDirectory k = KeyDirectory.init(dir, rootKeys, rootThreshold, pass, force);
      k.forgetPassphrase();
      cl.getOut()
          .printf(
              "created TUF keys in %s: root %d-of-%d%s, targets, snapshot, timestamp, watchlist,"
                  + " models, alias.key%n",
              dir, rootThreshold, rootKeys, pass != null ? " (encrypted)" : "");
      cl.getOut().println("keep the root keys offline; next: edgecam repo init --keys " + dir);
      return 0;
    }
  }
}
