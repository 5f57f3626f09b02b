package io.edgecam.ctl.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgecam.agent.config.AgentConfig;
import io.edgecam.agent.service.AgentService;
import io.edgecam.ctl.Home;
import io.edgecam.matcher.MatcherService;
import io.edgecam.matcher.config.BrokerConfig;
import io.edgecam.matcher.config.MatcherConfig;
import io.edgecam.matcher.config.SealingConfig;
import io.edgecam.protocol.Alert;
import io.edgecam.protocol.EdgecamException;
import io.edgecam.protocol.seal.SealingKeyPair;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code edgecam demo}: the whole system on one machine with nothing installed. An embedded MQTT 5
 * broker and the matcher start in-process; sample identities are enrolled; the real edge agent runs
 * a simulated camera (an image folder) through the face pipeline and publishes candidates; alerts
 * are printed as they arrive, then a summary.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run the whole system on this machine: embedded MQTT 5 broker + matcher, enroll the sample"
          + " identities, run a simulated camera (image folder) through the real edge agent, print"
          + " each alert and a summary.",
      "Sample photos are fetched with models/fetch-samples on first use."
    })
public final class DemoCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Option(names = "--json", description = "Print the summary as one JSON object on stdout.")
  boolean json;

  @Option(
      names = "--samples",
      paramLabel = "DIR",
      description = "Where the sample photos are (default: models/cache/samples).")
  Path samples;

  @Option(
      names = "--fps",
      defaultValue = "4",
      description = "Frames per second of the simulated camera (default: ${DEFAULT-VALUE}).")
  double fps;

  @Option(
      names = "--timeout",
      defaultValue = "60",
      description = "Give up after this many seconds (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Option(
      names = "--broker",
      paramLabel = "URL",
      description =
          "Use this MQTT 5 broker (e.g. tcp://127.0.0.1:1883) instead of the embedded one.")
  String broker;

  @Option(
      names = "--sealed",
      description =
          "Seal every candidate's embedding to a fresh matcher key (X25519 + AES-256-GCM); the"
              + " matcher refuses plain candidates.")
  boolean sealed;

  @Option(
      names = "--keep",
      description = "Keep the demo's state folder (store, spool) and print where.")
  boolean keep;

  @Override
  public Integer call() throws Exception {
    if (fps <= 0 || fps > 60) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--fps must be in (0, 60], was " + fps);
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path home = Home.locate();
    DemoSamples set =
        DemoSamples.load(home, samples != null ? samples : home.resolve("models/cache/samples"));
    Path state = Files.createTempDirectory("edgecam-demo-");
    long start = System.nanoTime();
    try {
      DemoSummary summary = run(set, state, home, err, start);
      if (json) {
        out.println(JSON.writeValueAsString(summary));
      } else {
        printSummary(out, summary);
      }
      out.flush();
      if (keep) {
        err.println("demo: state kept in " + state);
      }
      return summary.alerts() >= 1 ? 0 : 1;
    } finally {
      if (!keep) {
        LocalRig.deleteTree(state);
      }
    }
  }

  private DemoSummary run(DemoSamples set, Path state, Path home, PrintWriter err, long start)
      throws InterruptedException, IOException {
    Path camera = Files.createDirectories(state.resolve("camera"));
    int n = 0;
    for (Path image : set.camera()) {
      // Numbered so the folder source shows them in the interleaved order.
      Files.copy(image, camera.resolve(String.format("%03d-%s", n++, image.getFileName())));
    }
    status(err, "starting the embedded MQTT 5 broker and the matcher");
    MatcherConfig matcherConfig = MatcherConfig.embeddedIn(state.resolve("matcher"));
    Path publicKey = null;
    if (sealed) {
      Path keys = Files.createDirectories(state.resolve("keys"));
      SealingKeyPair pair = SealingKeyPair.generate();
      pair.write(keys.resolve("matcher-sealing.key"), keys.resolve("matcher-sealing.pub"));
      publicKey = keys.resolve("matcher-sealing.pub");
      matcherConfig =
          matcherConfig.withSealing(
              new SealingConfig(List.of(keys.resolve("matcher-sealing.key")), true));
      status(err, "sealing candidates to matcher key " + pair.publicKey().keyIdHex());
    }
    if (broker != null) {
      // A client id of its own, so a demo never takes over a real matcher's session.
      matcherConfig =
          matcherConfig
              .withBroker(BrokerConfig.external(broker))
              .withClientId("edgecam-demo-" + Long.toHexString(System.nanoTime()))
              // Leave nothing behind on someone's broker and touch no one else's candidates: no
              // persistent session, a plain subscription to the demo site only (never joining,
              // or taking candidates from, a real matcher group).
              .withSessionExpirySeconds(0)
              .withSharedSubscription(false)
              .withSite(LocalRig.SITE);
    }
    try (MatcherService matcher = MatcherService.start(matcherConfig)) {
      AtomicLong alerts = new AtomicLong();
      matcher.addAlertListener(a -> printAlert(err, a, alerts.incrementAndGet()));
      int enrolled = LocalRig.enroll(set.enroll(), matcher, home, err);

      status(
          err,
          "simulated camera: "
              + set.camera().size()
              + " images at "
              + fps
              + " fps -> edge agent -> "
              + matcher.brokerUrl());
      // On a shared broker each run is a device of its own, so runs never see each other's spool.
      // Short: every character of the id is paid by every candidate (docs/protocol.md, Size).
      String device =
          broker == null ? "demo-cam-1" : String.format("demo-%04x", new Random().nextInt(1 << 16));
      AgentConfig config =
          LocalRig.agentConfig(
              device, camera, fps, false, 0, state, home, matcher.brokerUrl(), publicKey);
      AgentService agent = AgentService.create(config);
      boolean drained;
      try {
        drained = agent.runOnce(Duration.ofSeconds(timeoutSeconds));
      } finally {
        agent.close();
      }
      if (!drained) {
        throw new EdgecamException(
            "the agent's candidates were not all acknowledged within " + timeoutSeconds + " s");
      }
      long published = agent.published();
      // Every acknowledged candidate reaches the matcher; wait for it to decide on each one.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
      while (decided(matcher) < published || alerts.get() < matcher.counters().matched()) {
        if (System.nanoTime() > deadline) {
          throw new EdgecamException(
              "the matcher decided on "
                  + decided(matcher)
                  + " of "
                  + published
                  + " candidates within "
                  + timeoutSeconds
                  + " s");
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
      }
      var c = agent.counters();
      var m = matcher.counters();
      return new DemoSummary(
          c.frames(),
          c.faces(),
          c.spooled(),
          agent.bytesPublished(),
          m.matched(),
          m.discarded(),
          set.expectedAlerts(),
          enrolled,
          Math.round((System.nanoTime() - start) / 1e7) / 100.0,
          sealed);
    }
  }

  private static long decided(MatcherService matcher) {
    var m = matcher.counters();
    return m.matched() + m.discarded() + m.duplicates() + m.malformed();
  }

  private void printAlert(PrintWriter err, Alert a, long n) {
    PrintWriter out = json ? err : spec.commandLine().getOut();
    out.printf(
        "ALERT %d: %s (%s) seen by %s/%s, cosine %.3f >= %.2f (margin %.3f, expected false"
            + " alarms %.1f per 1,000 strangers), track %d%n",
        n,
        a.label(),
        a.entryId(),
        a.site(),
        a.device(),
        a.score(),
        a.threshold(),
        a.margin(),
        1000 * a.expectedFpir(),
        a.trackId());
    out.flush();
  }

  private static void printSummary(PrintWriter out, DemoSummary s) {
    out.printf(
        "%nsummary: %d frames, %d faces, %d candidates sent (%d bytes of %sembeddings, no images),"
            + " %d alert(s) (expected %d), %d non-matches discarded, %.1f s%n",
        s.frames(),
        s.faces(),
        s.candidates(),
        s.bytesSent(),
        s.sealed() ? "sealed " : "",
        s.alerts(),
        s.expectedAlerts(),
        s.discarded(),
        s.seconds());
  }

  static void status(PrintWriter err, String message) {
    err.println("demo: " + message);
    err.flush();
  }
}
