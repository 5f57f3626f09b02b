package io.edgecam.matcher.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgecam.matcher.audit.AuditHead;
import io.edgecam.matcher.audit.AuditKeys;
import io.edgecam.matcher.audit.AuditQuery;
import io.edgecam.matcher.audit.AuditRecord;
import io.edgecam.matcher.audit.AuditVerifier;
import io.edgecam.matcher.config.AuditConfig;
import io.edgecam.matcher.store.MatcherStore;
import io.edgecam.protocol.tuf.SigningKey;
import io.edgecam.protocol.tuf.TufKey;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code edgecam audit verify|export|key}: check and read the matcher's audit log. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = "Verify, export or show the key of the matcher's hash-chained audit log.",
    subcommands = {AuditCommand.Verify.class, AuditCommand.Export.class, AuditCommand.Key.class})
public final class AuditCommand implements Runnable {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code audit verify}. */
  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description = {
        "Check every record: no gap in seq, hash, link to the previous record, signature; then the"
            + " head checkpoint (a removed tail). Names the first bad record.",
        "Exit codes: 0 intact, 1 tampered or unreadable, 2 usage error."
      })
  static final class Verify implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOptions store;

    @Option(
        names = "--key",
        paramLabel = "FILE",
        description =
            "Trusted public key: the matcher's key file or its .pub (repeatable; default: the"
                + " audit.keyFile of the store's config, else its .pub).")
    List<Path> keys = new ArrayList<>();

    @Option(
        names = "--head",
        paramLabel = "FILE",
        description = "Signed head checkpoint (default: the config's audit.headFile).")
    @Nullable Path head;

    @Option(names = "--no-head", description = "Do not check a head checkpoint.")
    boolean noHead;

    @Option(names = "--json", description = "One JSON object (shape in docs/matcher.md).")
    boolean json;

    @Override
    public Integer call() {
      CommandLine cl = spec.commandLine();
      AuditConfig cfg = store.audit(cl);
      List<TufKey> trusted = trustedKeys(cl, cfg);
      Path headFile = noHead ? null : head != null ? head : cfg.headFile();
      AuditHead checkpoint = headFile == null ? null : AuditHead.read(headFile);
      if (headFile != null && checkpoint == null) {
        if (head != null) {
          throw new CommandLine.ParameterException(cl, "--head " + head + ": no such file");
        }
        cl.getErr()
            .println(
                "edgecam audit verify: warning: no head checkpoint "
                    + headFile
                    + "; a removed tail cannot be detected");
      }
      AuditVerifier.Report report;
      try (MatcherStore s = MatcherStore.open(store.resolve(cl))) {
        report = AuditVerifier.verify(s.audit(), trusted, checkpoint);
      }
      print(cl.getOut(), report);
      return report.ok() ? 0 : 1;
    }

    private List<TufKey> trustedKeys(CommandLine cl, AuditConfig cfg) {
      List<Path> files = new ArrayList<>(keys);
      if (files.isEmpty()) {
        Path pub = AuditKeys.publicFile(cfg.keyFile());
        files.add(Files.exists(cfg.keyFile()) ? cfg.keyFile() : pub);
        if (!Files.exists(files.get(0))) {
          throw new CommandLine.ParameterException(
              cl,
              "no audit key at "
                  + cfg.keyFile()
                  + " or "
                  + pub
                  + "; pass the matcher's public key with --key FILE");
        }
      }
      List<TufKey> out = new ArrayList<>();
      for (Path f : files) {
        out.add(AuditKeys.readPublic(f));
      }
      return out;
    }

    private void print(PrintWriter out, AuditVerifier.Report r) {
      if (json) {
        ObjectNode o = JSON.createObjectNode();
        o.put("ok", r.ok());
        o.put("records", r.records());
        o.put("last_seq", r.lastSeq());
        if (r.headSeq() >= 0) {
          o.put("head_seq", r.headSeq());
        } else {
          o.putNull("head_seq");
        }
        if (r.problem() == null) {
          o.putNull("failure");
        } else {
          ObjectNode f = o.putObject("failure");
          f.put("seq", r.problem().seq());
          f.put("kind", r.problem().kind().key());
          f.put("message", r.problem().message());
        }
        out.println(o);
      } else if (r.ok()) {
        out.printf(
            "audit log intact: %d records (last seq %d)%s%n",
            r.records(),
            r.lastSeq(),
            r.headSeq() >= 0 ? ", head checkpoint at " + r.headSeq() + " matches" : "");
      } else {
        out.printf(
            "audit log TAMPERED: first bad record %d (%s): %s%n",
            r.problem().seq(), r.problem().kind().key(), r.problem().message());
      }
    }
  }

  /** {@code audit export}. */
  @Command(
      name = "export",
      mixinStandardHelpOptions = true,
      description =
          "Print records as JSON lines, each with its hash, prev_hash, key_id and signature, so"
              + " that a copy kept elsewhere can be verified later.")
  static final class Export implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOptions store;

    @Option(
        names = "--after",
        paramLabel = "SEQ",
        description = "Only records after this seq (default: ${DEFAULT-VALUE}).")
    long after;

    @Override
    public Integer call() {
      CommandLine cl = spec.commandLine();
      if (after < 0) {
        throw new CommandLine.ParameterException(cl, "--after must be >= 0, was " + after);
      }
      PrintWriter out = cl.getOut();
      long n = 0;
      try (MatcherStore s = MatcherStore.open(store.resolve(cl))) {
        AuditQuery q = AuditQuery.after(after, 1_000);
        List<AuditRecord> page;
        do {
          page = s.audit().read(q);
          for (AuditRecord r : page) {
            out.println(toJson(r));
            n++;
          }
          if (!page.isEmpty()) {
            q = q.next(page.get(page.size() - 1).seq());
          }
        } while (page.size() == q.limit());
      }
      out.flush();
      cl.getErr().println("edgecam audit export: " + n + " records");
      return 0;
    }
  }

  /** {@code audit key}. */
  @Command(
      name = "key",
      mixinStandardHelpOptions = true,
      description =
          "Create the matcher's audit key if it does not exist (PEM, mode 0600, and FILE.pub) and"
              + " print its key id and public key.")
  static final class Key implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOptions store;

    @Option(
        names = "--key",
        paramLabel = "FILE",
        description = "Key file (default: the config's audit.keyFile).")
    @Nullable Path key;

    @Override
    public Integer call() {
      CommandLine cl = spec.commandLine();
      Path file = key != null ? key : store.audit(cl).keyFile();
      boolean existed = Files.exists(file);
      SigningKey k = AuditKeys.loadOrCreate(file);
      cl.getOut()
          .printf(
              "%s %s%nkey id  %s%npublic  %s%npublic key file  %s%n",
              existed ? "existing key" : "created key",
              file,
              k.keyId(),
              k.publicKey().publicHex(),
              AuditKeys.publicFile(file));
      return 0;
    }
  }

  /** The export form of a record (also what the REST API may serve). */
  static ObjectNode toJson(AuditRecord r) {
    ObjectNode o = JSON.createObjectNode();
    o.put("seq", r.seq());
    o.put("time", r.time().toString());
    o.put("time_ms", r.time().toEpochMilli());
    o.put("actor", r.actor());
    o.put("action", r.action());
    o.put("subject", r.subject());
    o.put("detail", r.detail());
    o.put("prev_hash", r.prevHash());
    o.put("hash", r.hash());
    o.put("key_id", r.keyId());
    o.put("signature", r.signature());
    return o;
  }
}
