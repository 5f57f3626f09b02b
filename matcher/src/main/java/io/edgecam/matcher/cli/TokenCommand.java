package io.edgecam.matcher.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgecam.matcher.audit.AuditAction;
import io.edgecam.matcher.audit.AuditLog;
import io.edgecam.matcher.auth.ApiToken;
import io.edgecam.matcher.auth.ApiTokens;
import io.edgecam.matcher.auth.Role;
import io.edgecam.matcher.store.MatcherStore;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
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
 * {@code edgecam matcher token create|list|revoke}: API tokens of the operators' REST API and
 * dashboard, in the matcher's store (a running matcher sees changes at once). Every change is
 * recorded in the audit log as done by {@code cli:USER}.
 */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description = "Create, list or revoke API tokens for the matcher's REST API and dashboard.",
    subcommands = {TokenCommand.Create.class, TokenCommand.List.class, TokenCommand.Revoke.class})
public final class TokenCommand implements Runnable {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code token create}. */
  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = {
        "Issue a token and print its secret (shown once; only its SHA-256 is stored).",
        "Roles: viewer (devices, alerts, watchlist), operator (+ enroll, delete, extend, export),"
            + " admin (+ audit log, tokens)."
      })
  static final class Create implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOptions store;

    @Option(
        names = "--role",
        required = true,
        paramLabel = "ROLE",
        description = "viewer, operator or admin.")
    String role;

    @Option(
        names = "--name",
        paramLabel = "NAME",
        description = "Who holds the token (shown in the audit log; default: --role).")
    @Nullable String name;

    @Option(
        names = "--person",
        paramLabel = "PERSON",
        description = {
          "The natural person the token belongs to (default: --name). Persons are unique by name"
              + " (ignoring case): a second token for the same person is that person's, and counts"
              + " as the same person when alerts need two to confirm them."
        })
    @Nullable String person;

    @Option(
        names = "--expires-days",
        paramLabel = "DAYS",
        description = "Days until the token stops working (default: never).")
    @Nullable Integer expiresDays;

    @Option(names = "--json", description = "Print {secret, token} as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      CommandLine cl = spec.commandLine();
      Role r;
      try {
        r = Role.parse(role.toLowerCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(cl, "--role: " + e.getMessage());
      }
      if (expiresDays != null && (expiresDays < 1 || expiresDays > 3650)) {
        throw new CommandLine.ParameterException(
            cl, "--expires-days must be in 1..3650, was " + expiresDays);
      }
      String holder = name == null ? r.key() : name.strip();
      if (holder.isEmpty() || holder.length() > 100) {
        throw new CommandLine.ParameterException(cl, "--name must be 1..100 characters");
      }
      String owner = person == null ? holder : person.strip();
      try {
        ApiToken.requirePerson(owner);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(cl, "--person: " + e.getMessage());
      }
      try (MatcherStore s = MatcherStore.open(store.resolve(cl))) {
        Clock clock = Clock.systemUTC();
        ApiTokens.Issued issued =
            new ApiTokens(s, clock)
                .issue(
                    holder,
                    owner,
                    r,
                    StoreOptions.actor(),
                    expiresDays == null ? null : Duration.ofDays(expiresDays));
        audit(s, store, cl, clock, holder, "issued", issued.token());
        PrintWriter out = cl.getOut();
        if (json) {
          ObjectNode o = JSON.createObjectNode().put("secret", issued.secret());
          o.set("token", tokenJson(issued.token()));
          out.println(JSON.writeValueAsString(o));
        } else {
          out.println(issued.secret());
          cl.getErr()
              .printf(
                  "token %s '%s' of %s (%s)%s; the secret above is shown only now%n",
                  issued.token().id(),
                  holder,
                  issued.token().person(),
                  r.key(),
                  issued.token().expiresAt() == null
                      ? ""
                      : ", expires " + issued.token().expiresAt());
        }
      }
      return 0;
    }
  }

  /** {@code token list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List tokens (never their secrets).")
  static final class List implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOptions store;

    @Option(names = "--json", description = "One JSON object per line.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      try (MatcherStore s = MatcherStore.open(store.resolve(spec.commandLine()))) {
        for (ApiToken t : s.tokens()) {
          if (json) {
            out.println(JSON.writeValueAsString(tokenJson(t)));
          } else {
            out.printf(
                "%-16s %-20s %-20s %-8s created %s by %s%s%s%n",
                t.id(),
                t.name(),
                t.person(),
                t.role().key(),
                t.createdAt(),
                t.createdBy(),
                t.expiresAt() == null ? "" : ", expires " + t.expiresAt(),
                t.revokedAt() == null ? "" : ", REVOKED " + t.revokedAt());
          }
        }
      }
      return 0;
    }
  }

  /** {@code token revoke ID}. */
  @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a token.")
  static final class Revoke implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOptions store;

    @Parameters(paramLabel = "ID", description = "Token id (tok_...), from 'token list'.")
    String id;

    @Override
    public Integer call() {
      CommandLine cl = spec.commandLine();
      try (MatcherStore s = MatcherStore.open(store.resolve(cl))) {
        Clock clock = Clock.systemUTC();
        ApiToken t = s.tokens().stream().filter(x -> x.id().equals(id)).findFirst().orElse(null);
        if (t == null || !new ApiTokens(s, clock).revoke(id)) {
          cl.getErr().println("edgecam matcher token revoke: no active token " + id);
          return 1;
        }
        audit(s, store, cl, clock, t.name(), "revoked", t);
        cl.getOut().println("revoked " + id + " (" + t.name() + ")");
      }
      return 0;
    }
  }

  private static void audit(
      MatcherStore s,
      StoreOptions options,
      CommandLine cl,
      Clock clock,
      String subject,
      String change,
      ApiToken t) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("change", change);
    d.put("token", t.id());
    d.put("person", t.person());
    d.put("role", t.role().key());
    if (t.expiresAt() != null) {
      d.put("expires", t.expiresAt().toString());
    }
    AuditLog.open(s.audit(), options.audit(cl), clock)
        .append(StoreOptions.actor(), AuditAction.ACCESS_CHANGE, subject, d);
  }

  private static ObjectNode tokenJson(ApiToken t) {
    return JSON.createObjectNode()
        .put("id", t.id())
        .put("name", t.name())
        .put("person", t.person())
        .put("role", t.role().key())
        .put("createdBy", t.createdBy())
        .put("createdAt", t.createdAt().toString())
        .put("expiresAt", t.expiresAt() == null ? null : t.expiresAt().toString())
        .put("revokedAt", t.revokedAt() == null ? null : t.revokedAt().toString());
  }
}
