package io.edgecam.matcher.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgecam.matcher.audit.AuditAction;
import io.edgecam.matcher.audit.AuditKeys;
import io.edgecam.matcher.audit.AuditLog;
import io.edgecam.matcher.config.AuditConfig;
import io.edgecam.matcher.report.ReportPeriod;
import io.edgecam.matcher.report.ReportSignature;
import io.edgecam.matcher.report.TransparencyReport;
import io.edgecam.matcher.report.UsageReport;
import io.edgecam.matcher.store.MatcherStore;
import io.edgecam.protocol.EdgecamException;
import io.edgecam.protocol.tuf.SigningKey;
import io.edgecam.protocol.tuf.TufKey;
import io.edgecam.runtime.files.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code edgecam report usage|transparency|verify}: the signed usage log (EU AI Act Art. 12(3)) and
 * the publishable transparency counts of a period, from the store's audit log; and the check of a
 * report's signature.
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = "Signed usage and transparency reports of a period, and their verification.",
    subcommands = {
      ReportCommand.Usage.class,
      ReportCommand.Transparency.class,
      ReportCommand.Verify.class
    })
public final class ReportCommand implements Runnable {
  private static final ObjectMapper PRETTY =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code --from --to --out} and the store, shared by both reports. */
  static final class PeriodOptions {
    @Option(
        names = "--from",
        required = true,
        paramLabel = "WHEN",
        description = "Start, included: YYYY-MM-DD (00:00 UTC) or an ISO instant.")
    String from;

    @Option(
        names = "--to",
        required = true,
        paramLabel = "WHEN",
        description = "End, excluded: YYYY-MM-DD (00:00 UTC) or an ISO instant.")
    String to;

    @Option(
        names = "--out",
        paramLabel = "FILE",
        description = "Write the report to FILE (mode 0600) instead of standard output.")
    @Nullable Path out;

    ReportPeriod period(CommandLine cl) {
      try {
        return new ReportPeriod(when(cl, "--from", from), when(cl, "--to", to));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(cl, e.getMessage());
      }
    }

    private static Instant when(CommandLine cl, String option, String value) {
      try {
        return value.length() == 10
            ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant()
            : Instant.parse(value);
      } catch (DateTimeParseException e) {
        throw new CommandLine.ParameterException(
            cl,
            option
                + " must be YYYY-MM-DD or an instant like 2026-03-01T08:00:00Z, was '"
                + value
                + "'");
      }
    }
  }

  /** Signs, writes, and records in the audit log that the report was made. */
  static void emit(
      CommandLine cl,
      MatcherStore s,
      AuditConfig auditConfig,
      ObjectNode report,
      boolean csv,
      PeriodOptions options,
      ReportPeriod period) {
    SigningKey key = AuditKeys.loadOrCreate(auditConfig.keyFile());
    String text;
    try {
      text =
          csv
              ? ReportSignature.sign(UsageReport.csv(report), key)
              : PRETTY.writeValueAsString(ReportSignature.signJson(report, key)) + "\n";
    } catch (IOException e) {
      throw new EdgecamException("cannot write the report: " + e.getMessage(), e);
    }
    if (options.out != null) {
      try {
        PrivateFiles.write(options.out, text.getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new EdgecamException("--out " + options.out + ": cannot write: " + e.getMessage(), e);
      }
      cl.getErr().println("edgecam report: wrote " + options.out + ", signed by " + key.keyId());
    } else {
      cl.getOut().print(text);
      cl.getOut().flush();
    }
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("from", period.from().toString());
    detail.put("to", period.to().toString());
    detail.put("format", csv ? "csv" : "json");
    AuditLog.open(s.audit(), auditConfig, Clock.systemUTC())
        .append(StoreOptions.actor(), AuditAction.REPORT, report.path("kind").asText(), detail);
  }

  /** {@code report usage}. */
  @Command(
      name = "usage",
      mixinStandardHelpOptions = true,
      description =
          "The usage log of a period (EU AI Act Art. 12(3)): the matcher's runs and each device's"
              + " online periods per site, the watchlist in force and its changes, every alert with"
              + " device, sequence, time, entry, score, threshold and who verified or rejected it;"
              + " signed with the matcher's audit key. Holds personal data (entry ids, operators).")
  static final class Usage implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOptions store;
    @Mixin PeriodOptions options;

    @Option(names = "--json", description = "JSON (the default).")
    boolean json;

    @Option(names = "--csv", description = "CSV, one row per run, period, entry, change, alert.")
    boolean csv;

    @Override
    public Integer call() {
      CommandLine cl = spec.commandLine();
      if (json && csv) {
        throw new CommandLine.ParameterException(cl, "give --json or --csv, not both");
      }
      ReportPeriod period = options.period(cl);
      try (MatcherStore s = MatcherStore.open(store.resolve(cl))) {
        ObjectNode report = UsageReport.json(s, period, StoreOptions.actor());
        emit(cl, s, store.audit(cl), report, csv, options, period);
      }
      return 0;
    }
  }

  /** {@code report transparency}. */
  @Command(
      name = "transparency",
      mixinStandardHelpOptions = true,
      description =
          "Counts of a period for publication, no personal data: entries by legal basis and"
              + " authorising body, new, extended, expired and removed entries, and per site the"
              + " candidates, alerts, verified alerts and alerts rejected as false matches; signed.")
  static final class Transparency implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOptions store;
    @Mixin PeriodOptions options;

    @Override
    public Integer call() {
      CommandLine cl = spec.commandLine();
      ReportPeriod period = options.period(cl);
      try (MatcherStore s = MatcherStore.open(store.resolve(cl))) {
        emit(cl, s, store.audit(cl), TransparencyReport.json(s, period), false, options, period);
      }
      return 0;
    }
  }

  /** {@code report verify FILE}. */
  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description =
          "Check a report's signature with the matcher's audit public key; exit 0 if valid, 1 if"
              + " not.")
  static final class Verify implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOptions store;

    @Parameters(paramLabel = "FILE", description = "A report made by edgecam report.")
    Path file;

    @Option(
        names = "--key",
        paramLabel = "FILE",
        description = "Public key (audit.key.pub) or key file (default: the config's audit key).")
    @Nullable Path key;

    @Override
    public Integer call() {
      CommandLine cl = spec.commandLine();
      String text;
      try {
        text = Files.readString(file, StandardCharsets.UTF_8);
      } catch (NoSuchFileException e) {
        throw new EdgecamException(file + ": no such file", e);
      } catch (IOException e) {
        throw new EdgecamException(file + ": cannot read: " + e.getMessage(), e);
      }
      TufKey pub = AuditKeys.readPublic(key != null ? key : store.audit(cl).keyFile());
      ReportSignature.Check check =
          text.stripLeading().startsWith("{")
              ? ReportSignature.verifyJson(text, pub)
              : ReportSignature.verify(text, pub);
      (check.valid() ? cl.getOut() : cl.getErr())
          .println(
              file
                  + ": "
                  + check.reason()
                  + (check.keyId().isEmpty() ? "" : " (key " + check.keyId() + ")"));
      return check.valid() ? 0 : 1;
    }
  }
}
