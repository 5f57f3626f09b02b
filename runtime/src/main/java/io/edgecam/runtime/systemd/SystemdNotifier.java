package io.edgecam.runtime.systemd;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells systemd about the agent ({@code Type=notify}, sd_notify protocol): {@code READY=1} once the
 * pipeline runs, {@code WATCHDOG=1} every {@code WatchdogSec/2} while {@link Liveness} says the
 * agent makes progress, {@code STATUS=} lines for {@code systemctl status}, and {@code STOPPING=1}
 * on shutdown. Does nothing outside systemd ({@code $NOTIFY_SOCKET} unset).
 *
 * <p>Threads: pings run on its own {@code edgecam-watchdog} thread; {@link #ready}, {@link
 * #stopping} and {@link #close} may be called from any thread.
 */
public final class SystemdNotifier implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SystemdNotifier.class);

  /** Status refresh when systemd asked for no watchdog. */
  private static final Duration STATUS_INTERVAL = Duration.ofSeconds(30);

  private final @Nullable NotifyTransport transport;
  private final @Nullable Duration watchdog;
  private final Liveness liveness;
  private @Nullable ScheduledExecutorService ticker;
  private @Nullable String lastStatus;
  private boolean warned;
  private boolean stalledLogged;
  private boolean stopped;

  SystemdNotifier(
      @Nullable NotifyTransport transport, @Nullable Duration watchdog, Liveness liveness) {
    this.transport = transport;
    this.watchdog = watchdog;
    this.liveness = liveness;
  }

  /**
   * A notifier for this process from its environment: {@code NOTIFY_SOCKET} (a path, or
   * {@code @name} in the abstract namespace), {@code WATCHDOG_USEC} and {@code WATCHDOG_PID}.
   * Without {@code NOTIFY_SOCKET}, or without the {@code systemd-notify} program, it does nothing.
   */
  public static SystemdNotifier fromEnvironment(Map<String, String> env, Liveness liveness) {
    String socket = env.get("NOTIFY_SOCKET");
    if (socket == null || socket.isEmpty()) {
      log.debug("not started by systemd with Type=notify (NOTIFY_SOCKET unset)");
      return new SystemdNotifier(null, null, liveness);
    }
    Path program = SystemdNotifyCommand.find();
    if (program == null) {
      log.warn("NOTIFY_SOCKET is set but systemd-notify is not installed: not notifying systemd");
      return new SystemdNotifier(null, null, liveness);
    }
    return new SystemdNotifier(new SystemdNotifyCommand(program, socket), watchdog(env), liveness);
  }

  /** WatchdogSec from the environment, or null if systemd wants no pings from this process. */
  static @Nullable Duration watchdog(Map<String, String> env) {
    String usec = env.get("WATCHDOG_USEC");
    if (usec == null || usec.isEmpty()) {
      return null;
    }
    String pid = env.get("WATCHDOG_PID");
    if (pid != null
        && !pid.isEmpty()
        && !pid.equals(Long.toString(ProcessHandle.current().pid()))) {
      return null; // meant for another process (we were started by the main process)
    }
    try {
      long micros = Long.parseLong(usec);
      return micros > 0 ? Duration.ofNanos(micros * 1000) : null;
    } catch (NumberFormatException e) {
      log.warn("ignoring WATCHDOG_USEC={}: not a number", usec);
      return null;
    }
  }

  /** WatchdogSec from the environment, or 30 s (the units' value) when systemd set none. */
  public static Duration watchdogOrDefault(Map<String, String> env) {
    Duration d = watchdog(env);
    return d != null ? d : Duration.ofSeconds(30);
  }

  /** Whether systemd is listening at all. */
  public boolean isEnabled() {
    return transport != null;
  }

  /** The watchdog period systemd asked for, or null if none. */
  public @Nullable Duration watchdogPeriod() {
    return watchdog;
  }

  /** Sends {@code READY=1} with a status, then starts the pings. Call once, after start-up. */
  public synchronized void ready(String status) {
    if (transport == null || ticker != null || stopped) {
      return;
    }
    send("READY=1\nSTATUS=" + oneLine(status));
    Duration every = watchdog != null ? watchdog.dividedBy(2) : STATUS_INTERVAL;
    ScheduledExecutorService t =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread th = new Thread(r, "edgecam-watchdog");
              th.setDaemon(true);
              return th;
            });
    ticker = t;
    t.scheduleAtFixedRate(this::tick, 0, every.toNanos(), TimeUnit.NANOSECONDS);
    log.info(
        "systemd: ready; {}",
        watchdog == null
            ? "no watchdog"
            : "watchdog ping every " + every.toMillis() + " ms while the pipeline makes progress");
  }

  private synchronized void tick() {
    if (stopped) {
      return;
    }
    Liveness.Verdict v;
    try {
      v = liveness.check(System.nanoTime());
    } catch (RuntimeException e) {
      v =
          Liveness.Verdict.stalled(
              "liveness check failed: " + oneLine(String.valueOf(e.getMessage())));
    }
    StringBuilder msg = new StringBuilder();
    if (v.progressing() && watchdog != null) {
      msg.append("WATCHDOG=1");
      stalledLogged = false;
    } else if (!v.progressing() && !stalledLogged) {
      log.error("watchdog: not feeding systemd, the agent looks stuck: {}", v.status());
      stalledLogged = true;
    }
    if (!v.status().equals(lastStatus) || msg.length() == 0) {
      msg.append(msg.length() == 0 ? "" : "\n").append("STATUS=").append(oneLine(v.status()));
      lastStatus = v.status();
    }
    send(msg.toString());
  }

  /** Sends a {@code STATUS=} line now (e.g. "connecting to the broker"). */
  public synchronized void status(String status) {
    if (!stopped) {
      send("STATUS=" + oneLine(status));
    }
  }

  /** Stops the pings and sends {@code STOPPING=1}. Idempotent. */
  public synchronized void stopping() {
    if (stopped) {
      return;
    }
    stopped = true;
    ScheduledExecutorService t = ticker;
    if (t != null) {
      t.shutdownNow();
    }
    send("STOPPING=1\nSTATUS=stopping");
  }

  /** Same as {@link #stopping()}. */
  @Override
  public void close() {
    stopping();
  }

  private void send(String state) {
    NotifyTransport t = transport;
    if (t == null) {
      return;
    }
    try {
      t.send(state);
      warned = false;
    } catch (IOException e) {
      // Said once per outage: a ping every 15 s would flood the journal.
      if (!warned) {
        log.warn("systemd: cannot notify ({}): {}", state.replace('\n', ' '), e.getMessage());
        warned = true;
      }
    }
  }

  private static String oneLine(String s) {
    return s.replace('\n', ' ').replace('\r', ' ');
  }
}
