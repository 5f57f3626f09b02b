package io.edgecam.fleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgecam.fleet.update.BrokerTarget;
import io.edgecam.fleet.update.KeyDirectory;
import io.edgecam.matcher.cli.DurationConverter;
import io.edgecam.matcher.config.BrokerConfig;
import io.edgecam.matcher.config.MatcherConfig;
import io.edgecam.matcher.config.TlsConfig;
import io.edgecam.protocol.EdgecamException;
import io.edgecam.protocol.Ids;
import io.edgecam.protocol.tuf.Lifetimes;
import io.edgecam.protocol.tuf.mqtt.TargetChunk;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Options shared by the maintainer's update commands (docs/updates.md). */
final class UpdateOptions {
  private UpdateOptions() {}

  /** {@code --keys DIR --repo DIR --passphrase-file FILE}. */
  static final class Repo {
    @Option(
        names = "--keys",
        paramLabel = "DIR",
        defaultValue = "tuf-keys",
        description = "TUF key directory (default: ${DEFAULT-VALUE}).")
    Path keys;

    @Option(
        names = "--repo",
        paramLabel = "DIR",
        defaultValue = "tuf-repo",
        description = "TUF repository directory (default: ${DEFAULT-VALUE}).")
    Path repo;

    @Option(
        names = "--passphrase-file",
        paramLabel = "FILE",
        description =
            "File holding the passphrase of the root keys (else env EDGECAM_KEY_PASSPHRASE).")
    @Nullable Path passphraseFile;

    KeyDirectory keyDirectory() {
      return KeyDirectory.open(keys, passphrase(passphraseFile));
    }

    Clock clock() {
      return Clock.systemUTC();
    }

    @Option(
        names = "--lifetime",
        paramLabel = "ROLE=DURATION",
        description =
            "How long ROLE's metadata stays valid once signed (root, targets, snapshot or"
                + " timestamp; e.g. timestamp=2d). Kept in the repository for the next commands."
                + " Defaults: root=365d, targets=90d, snapshot=7d, timestamp=1d.")
    Map<String, String> lifetimeOptions = new LinkedHashMap<>();

    /**
     * The repository's lifetimes ({@value #LIFETIMES_FILE} in {@code --repo}, else the defaults)
     * with the {@code --lifetime} options applied; a change is written back for the next commands.
     */
    Lifetimes lifetimes() {
      Path file = repo.resolve(LIFETIMES_FILE);
      Lifetimes l = Files.isRegularFile(file) ? readLifetimes(file) : Lifetimes.DEFAULTS;
      if (lifetimeOptions.isEmpty()) {
        return l;
      }
      DurationConverter durations = new DurationConverter();
      for (Map.Entry<String, String> e : lifetimeOptions.entrySet()) {
        try {
          l = l.with(e.getKey(), durations.convert(e.getValue()));
        } catch (IllegalArgumentException | CommandLine.TypeConversionException ex) {
          throw new EdgecamException(
              "--lifetime " + e.getKey() + "=" + e.getValue() + ": " + ex.getMessage(), ex);
        }
      }
      writeLifetimes(file, l);
      return l;
    }
  }

  /** Where a repository keeps its metadata lifetimes (beside metadata/, never served). */
  static final String LIFETIMES_FILE = "lifetimes.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  static Lifetimes readLifetimes(Path file) {
    try {
      JsonNode n = JSON.readTree(file.toFile());
      Lifetimes l = Lifetimes.DEFAULTS;
      for (String role : List.of("root", "targets", "snapshot", "timestamp")) {
        JsonNode v = n.get(role);
        if (v != null) {
          l = l.with(role, Duration.parse(v.asText()));
        }
      }
      return l;
    } catch (IOException | RuntimeException e) {
      throw new EdgecamException(
          file + ": cannot read the metadata lifetimes: " + e.getMessage(), e);
    }
  }

  private static void writeLifetimes(Path file, Lifetimes l) {
    ObjectNode n = JSON.createObjectNode();
    n.put("root", l.root().toString());
    n.put("targets", l.targets().toString());
    n.put("snapshot", l.snapshot().toString());
    n.put("timestamp", l.timestamp().toString());
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n) + "\n");
    } catch (IOException e) {
      throw new EdgecamException(file + ": cannot write the metadata lifetimes: " + e, e);
    }
  }

  /** The passphrase from a file (first line) or EDGECAM_KEY_PASSPHRASE; null if neither. */
  static char @Nullable [] passphrase(@Nullable Path file) {
    if (file != null) {
      try {
        String s = Files.readString(file, StandardCharsets.UTF_8);
        int nl = s.indexOf('\n');
        s = nl < 0 ? s : s.substring(0, nl);
        if (s.isEmpty()) {
          throw new EdgecamException(file + ": the passphrase file is empty");
        }
        return s.toCharArray();
      } catch (IOException e) {
        throw new EdgecamException(file + ": cannot read the passphrase file: " + e, e);
      }
    }
    String env = System.getenv("EDGECAM_KEY_PASSPHRASE");
    return env == null || env.isEmpty() ? null : env.toCharArray();
  }

  /** {@code --site --broker --trust-store --key-store --mqtt-user --chunk-size --full}. */
  static final class Publish {
    @Option(names = "--site", paramLabel = "SITE", description = "Site whose devices get it.")
    @Nullable String site;

    @Option(
        names = "--broker",
        paramLabel = "URL",
        description = "MQTT broker, tcp://host:port or ssl://host:port.")
    @Nullable String broker;

    @Option(
        names = "--trust-store",
        paramLabel = "FILE",
        description =
            "CA trust store (PKCS#12/JKS) for ssl:// (password: env"
                + " EDGECAM_TRUST_STORE_PASSWORD).")
    @Nullable Path trustStore;

    @Option(
        names = "--key-store",
        paramLabel = "FILE",
        description =
            "Client certificate key store for mutual TLS (password: env"
                + " EDGECAM_KEY_STORE_PASSWORD).")
    @Nullable Path keyStore;

    @Option(
        names = "--mqtt-user",
        paramLabel = "NAME",
        description = "MQTT user name (password: env EDGECAM_MQTT_PASSWORD).")
    @Nullable String user;

    @Option(
        names = "--chunk-size",
        paramLabel = "BYTES",
        defaultValue = "65536",
        description = "Target chunk size on MQTT (default: ${DEFAULT-VALUE}).")
    int chunkSize;

    @Option(
        names = "--full",
        description = "Send every retained message again, not only the changed ones.")
    boolean full;

    /**
     * The broker: {@code --broker}, else the one of {@code config} (external, or the embedded
     * broker's address), else null.
     */
    @Nullable BrokerTarget broker(CommandLine cl, @Nullable MatcherConfig config) {
      if (chunkSize < 1024 || chunkSize > TargetChunk.MAX_CHUNK_SIZE) {
        throw new CommandLine.ParameterException(
            cl, "--chunk-size must be in 1024.." + TargetChunk.MAX_CHUNK_SIZE);
      }
      TlsConfig tls =
          trustStore == null
              ? null
              : new TlsConfig(
                  trustStore,
                  System.getenv("EDGECAM_TRUST_STORE_PASSWORD"),
                  keyStore,
                  System.getenv("EDGECAM_KEY_STORE_PASSWORD"));
      String url = broker;
      if (url == null && config != null) {
        BrokerConfig b = config.broker();
        if (b.external() != null) {
          url = b.external().url();
          tls = tls != null ? tls : b.external().tls();
        } else {
          url = "tcp://" + b.embedded().plainBindAddress() + ":" + b.embedded().port();
        }
      }
      if (url == null) {
        return null;
      }
      try {
        return new BrokerTarget(url, tls, user, System.getenv("EDGECAM_MQTT_PASSWORD"));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(cl, "--broker: " + e.getMessage());
      }
    }

    /** The site, validated; a usage error if missing. */
    String site(CommandLine cl) {
      if (site == null) {
        throw new CommandLine.ParameterException(cl, "--site SITE is required to publish");
      }
      if (!Ids.isValid(site)) {
        throw new CommandLine.ParameterException(
            cl, "--site must be 1-64 characters of [A-Za-z0-9._-], was '" + site + "'");
      }
      return site;
    }
  }
}
