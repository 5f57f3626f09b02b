package io.edgecam.mqtt;

import io.edgecam.protocol.Health;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link MqttLink} on the Eclipse Paho MQTT v5 client (docs/architecture.md, "One MQTT client").
 *
 * <p>Paho fails a publish with "Too many publishes in progress" when its in-flight count reaches
 * the broker's receive maximum, and it runs our acknowledgement callback <em>before</em> it
 * decrements that count. So the window here is kept at most {@code receiveMaximum - 1} and every
 * publish waits for a slot instead of failing.
 *
 * <p>Session: clean start off with a session expiry, so the broker keeps our session across short
 * outages. Each connection gets a fresh Paho client with in-memory persistence: when a connection
 * drops, every unacknowledged publish fails at once and its window slot comes back; the caller
 * (e.g. the agent's spool publisher) sends it again. Paho's own resend after a reconnect is not
 * used, because it bypasses the window: mixed with new publishes it exceeded the broker's receive
 * maximum and Mosquitto closed the connection with a protocol error (0x82).
 *
 * <p>Reconnects are ours (exponential backoff with jitter, also for the first connect, which Paho's
 * own reconnect does not cover), run on the link's own thread; Paho's threads only complete futures
 * and hand messages to the subscriptions' handlers, and never block on us.
 *
 * <p>Over 500 lines: connection life cycle, window and publish are one state machine under one
 * lock; subscriptions are already a class of their own ({@link PahoSubscription}).
 */
public final class PahoMqttLink implements MqttLink {
  private static final Logger log = LoggerFactory.getLogger(PahoMqttLink.class);
  static final long MIN_BACKOFF_MS = 250;
  static final long MAX_BACKOFF_MS = 15_000;
  private static final long CONNECT_TIMEOUT_MS = 10_000;
  static final int FIRST_FAILURE_REASON = 0x80;

  private final MqttLinkConfig config;
  private final String clientId;
  private volatile @Nullable Connection connection;
  private final InFlightWindow window;
  private final ScheduledExecutorService executor;
  private final List<Runnable> connectedListeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<String>> lostListeners = new CopyOnWriteArrayList<>();
  private final List<PahoSubscription> subscriptions = new CopyOnWriteArrayList<>();
  private final ReentrantLock stateLock = new ReentrantLock();
  private final Condition connectedChanged = stateLock.newCondition();
  private boolean connected;
  private boolean closed;
  private String lastProblem = "not connected yet";
  private long backoffMs = MIN_BACKOFF_MS;

  /** One connect attempt at a time is queued, however many drops Paho reports. */
  private final AtomicBoolean connectQueued = new AtomicBoolean();

  /**
   * Creates a link; nothing connects until {@link #start()}.
   *
   * @param threadName name of the link's own thread (connects, listeners)
   */
  public PahoMqttLink(MqttLinkConfig config, String threadName) {
    this.config = config;
    this.clientId = config.clientId();
    this.window = new InFlightWindow(config.inFlightWindow());
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              return t;
            });
  }

  private MqttConnectionOptions options() {
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setCleanStart(false);
    o.setSessionExpiryInterval(config.sessionExpirySeconds());
    o.setKeepAliveInterval(config.keepAliveSeconds());
    o.setAutomaticReconnect(false);
    o.setConnectionTimeout((int) (CONNECT_TIMEOUT_MS / 1000));
    MqttLinkConfig.Will will = config.will();
    if (will != null) {
      o.setWill(will.topic(), new MqttMessage(will.payload(), 1, true, new MqttProperties()));
    }
    if (config.username() != null) {
      o.setUserName(config.username());
    }
    if (config.password() != null) {
      o.setPassword(config.password().getBytes(StandardCharsets.UTF_8));
    }
    if (config.socketFactory() != null) {
      o.setSocketFactory(config.socketFactory());
    }
    return o;
  }

  @Override
  public void start() {
    schedule(options(), 0);
  }

  private void connect(MqttConnectionOptions options) {
    connectQueued.set(false);
    if (isClosed() || isConnected()) {
      return;
    }
    try {
      tryConnect(options);
    } catch (RuntimeException e) {
      // Whatever went wrong, the link must keep trying.
      log.error("connect attempt to {} failed unexpectedly", config.url(), e);
      setConnected(false, "connect failed: " + e.getMessage());
      schedule(options, MAX_BACKOFF_MS);
    }
  }

  private void tryConnect(MqttConnectionOptions options) {
    long started = System.nanoTime();
    discard(connection);
    Connection c;
    try {
      c = new Connection(new MqttAsyncClient(config.url(), clientId, new MemoryPersistence()));
    } catch (MqttException e) {
      setConnected(false, "cannot create MQTT client for " + config.url() + ": " + describe(e));
      log.error("cannot create MQTT client for {}: {}", config.url(), describe(e));
      return;
    }
    c.client.setCallback(new Callback(c));
    connection = c;
    try {
      IMqttToken token = c.client.connect(options);
      token.waitForCompletion(CONNECT_TIMEOUT_MS);
      int serverMax = receiveMaximum(token.getResponseProperties());
      int effective = Math.max(1, Math.min(config.inFlightWindow(), serverMax - 1));
      window.setLimit(effective);
      backoffMs = MIN_BACKOFF_MS;
      setConnected(true, "");
      log.info(
          "connected to {} as {} in {} ms (session present: {}, in-flight window {}, broker"
              + " receive maximum {})",
          config.url(),
          clientId,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
          token.getSessionPresent(),
          effective,
          serverMax);
      for (PahoSubscription sub : subscriptions) {
        sub.send(c.client);
      }
      for (Runnable l : connectedListeners) {
        try {
          l.run();
        } catch (RuntimeException e) {
          log.error("connect listener failed", e);
        }
      }
    } catch (MqttException e) {
      discard(c);
      String problem = "cannot connect to " + config.url() + ": " + describe(e);
      setConnected(false, problem);
      long delay = backoffMs + ThreadLocalRandom.current().nextLong(backoffMs / 4 + 1);
      backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
      log.warn("{}; retrying in {} ms", problem, delay);
      schedule(options, delay);
    }
  }

  private void schedule(MqttConnectionOptions options, long delayMs) {
    if (!isClosed() && connectQueued.compareAndSet(false, true)) {
      try {
        executor.schedule(() -> connect(options), delayMs, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        connectQueued.set(false); // closed meanwhile
      }
    }
  }

  private static int receiveMaximum(@Nullable MqttProperties props) {
    Integer max = props == null ? null : props.getReceiveMaximum();
    return max == null || max <= 0 ? 65_535 : max;
  }

  @Override
  public CompletableFuture<Void> publish(
      String topic, byte[] payload, boolean retain, Duration timeout) throws InterruptedException {
    if (!isConnected()) {
      throw new MqttLinkException("not connected to " + config.url() + ": " + lastProblem());
    }
    if (!window.acquire(timeout.toNanos())) {
      throw new MqttLinkException(
          isClosed()
              ? "broker link closed"
              : "no room in the in-flight window within " + timeout.toMillis() + " ms");
    }
    Connection c = connection;
    if (c == null) {
      window.release();
      throw new MqttLinkException("not connected to " + config.url());
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    c.pending.add(done);
    try {
      MqttMessage m = new MqttMessage(payload, 1, retain, new MqttProperties());
      c.client.publish(
          topic,
          m,
          null,
          new MqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
              int[] codes = token.getReasonCodes();
              if (codes != null && codes.length > 0 && codes[0] >= FIRST_FAILURE_REASON) {
                c.finish(
                    done,
                    new MqttLinkException(
                        "broker refused publish to "
                            + topic
                            + " with reason code 0x"
                            + Integer.toHexString(codes[0])));
              } else {
                c.finish(done, null);
              }
            }

            @Override
            public void onFailure(IMqttToken token, Throwable e) {
              c.finish(
                  done,
                  new MqttLinkException("publish to " + topic + " failed: " + e.getMessage(), e));
            }
          });
    } catch (MqttException e) {
      MqttLinkException failure =
          new MqttLinkException("publish to " + topic + " failed: " + describe(e), e);
      c.finish(done, failure);
      throw failure;
    }
    return done;
  }

  @Override
  public boolean isConnected() {
    stateLock.lock();
    try {
      return connected;
    } finally {
      stateLock.unlock();
    }
  }

  @Override
  public boolean awaitConnected(Duration timeout) throws InterruptedException {
    long left = timeout.toNanos();
    stateLock.lockInterruptibly();
    try {
      while (!connected && !closed) {
        if (left <= 0) {
          return false;
        }
        left = connectedChanged.awaitNanos(left);
      }
      return connected;
    } finally {
      stateLock.unlock();
    }
  }

  @Override
  public Subscription subscribe(int qos, BiConsumer<String, byte[]> handler, String... filters) {
    if (qos < 0 || qos > 1) {
      throw new IllegalArgumentException("qos must be 0 or 1, was " + qos);
    }
    if (filters.length == 0) {
      throw new IllegalArgumentException("no topic filter");
    }
    PahoSubscription sub = new PahoSubscription(this, qos, handler, filters.clone());
    subscriptions.add(sub);
    MqttAsyncClient c = connectedClient();
    if (c != null) {
      sub.send(c);
    }
    return sub;
  }

  /** The current connection's client while connected, else null. */
  @Nullable MqttAsyncClient connectedClient() {
    Connection c = connection;
    return c != null && isConnected() ? c.client : null;
  }

  /** Forgets a closed subscription. */
  void remove(PahoSubscription sub) {
    subscriptions.remove(sub);
  }

  @Override
  public void onConnected(Runnable listener) {
    connectedListeners.add(listener);
  }

  @Override
  public void onConnectionLost(Consumer<String> listener) {
    lostListeners.add(listener);
  }

  @Override
  public Health health() {
    stateLock.lock();
    try {
      return connected ? Health.ok() : Health.degraded(lastProblem);
    } finally {
      stateLock.unlock();
    }
  }

  @Override
  public int inFlight() {
    return window.inFlight();
  }

  /** Current in-flight limit (after the broker's receive maximum was applied). For tests. */
  public int windowLimit() {
    return window.limit();
  }

  /**
   * Drops the network connection without a DISCONNECT packet, as a crash would, and stops
   * reconnecting: the broker then publishes the last will. For tests.
   */
  public void dieForTest() {
    stateLock.lock();
    try {
      closed = true;
      connected = false;
      connectedChanged.signalAll();
    } finally {
      stateLock.unlock();
    }
    Connection c = connection;
    if (c != null) {
      try {
        c.client.disconnectForcibly(0, 0, false);
      } catch (MqttException e) {
        log.debug("forced disconnect", e);
      }
    }
  }

  @Override
  public void close() {
    stateLock.lock();
    boolean wasClosed = closed;
    try {
      closed = true;
      connectedChanged.signalAll();
    } finally {
      stateLock.unlock();
    }
    executor.shutdownNow();
    Connection c = connection;
    if (c != null) {
      try {
        if (!wasClosed && c.client.isConnected()) {
          c.client.disconnect(2_000).waitForCompletion(3_000);
        }
      } catch (MqttException e) {
        log.debug("disconnect from {} failed: {}", config.url(), describe(e));
      }
      discard(c);
    }
    window.close();
    setConnected(false, "closed");
  }

  private boolean isClosed() {
    stateLock.lock();
    try {
      return closed;
    } finally {
      stateLock.unlock();
    }
  }

  private String lastProblem() {
    stateLock.lock();
    try {
      return lastProblem;
    } finally {
      stateLock.unlock();
    }
  }

  private void setConnected(boolean value, String problem) {
    stateLock.lock();
    try {
      connected = value;
      lastProblem = problem;
      connectedChanged.signalAll();
    } finally {
      stateLock.unlock();
    }
  }

  static String describe(MqttException e) {
    Throwable cause = e.getCause();
    return e.getMessage()
        + " ("
        + e.getReasonCode()
        + ")"
        + (cause != null ? ": " + cause.getMessage() : "");
  }

  /** Fails the connection's unacknowledged publishes and closes its client. */
  private void discard(@Nullable Connection c) {
    if (c == null || !c.discarded.compareAndSet(false, true)) {
      return;
    }
    c.failAll(new MqttLinkException("connection to " + config.url() + " lost"));
    try {
      c.client.disconnectForcibly(0, 0, false);
    } catch (MqttException e) {
      log.debug("closing a dropped connection: {}", describe(e));
    }
    try {
      c.client.close(true);
    } catch (MqttException e) {
      log.debug("closing a dropped client: {}", describe(e));
    }
  }

  /** One network connection: its Paho client and its unacknowledged publishes. */
  private final class Connection {
    final MqttAsyncClient client;
    final Set<CompletableFuture<Void>> pending = ConcurrentHashMap.newKeySet();
    final AtomicBoolean discarded = new AtomicBoolean();

    Connection(MqttAsyncClient client) {
      this.client = client;
    }

    /** Completes {@code f} once, returning its window slot; later callbacks for it are ignored. */
    void finish(CompletableFuture<Void> f, @Nullable Throwable failure) {
      if (pending.remove(f)) {
        window.release();
        if (failure == null) {
          f.complete(null);
        } else {
          f.completeExceptionally(failure);
        }
      }
    }

    void failAll(Throwable failure) {
      for (CompletableFuture<Void> f : List.copyOf(pending)) {
        finish(f, failure);
      }
    }
  }

  /** Paho callbacks of one connection; they run on Paho's threads and must not block. */
  private final class Callback implements MqttCallback {
    private final Connection owner;

    Callback(Connection owner) {
      this.owner = owner;
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
      if (connection != owner) {
        return; // an old connection we already replaced
      }
      owner.failAll(new MqttLinkException("connection to " + config.url() + " lost"));
      String reason =
          response.getException() != null
              ? describe(response.getException())
              : "broker disconnected (reason " + response.getReturnCode() + ")";
      setConnected(false, "connection lost: " + reason);
      for (PahoSubscription sub : subscriptions) {
        sub.lost(owner.client);
      }
      for (Consumer<String> l : lostListeners) {
        try {
          l.accept(reason);
        } catch (RuntimeException e) {
          log.error("connection-lost listener failed", e);
        }
      }
      if (!isClosed()) {
        log.warn("connection to {} lost: {}; reconnecting", config.url(), reason);
        MqttConnectionOptions options = options();
        schedule(options, 0);
      }
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
      log.warn("MQTT error: {}", describe(exception));
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      for (PahoSubscription sub : subscriptions) {
        if (sub.matches(topic)) {
          try {
            sub.handler().accept(topic, message.getPayload());
          } catch (RuntimeException e) {
            // A failing handler must not kill Paho's callback thread (it would drop the link).
            log.error("handler of {} failed on a message", topic, e);
          }
        }
      }
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
      // Completion is handled per publish by its listener.
    }

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {
      // connect() above handles success; it also knows the broker's receive maximum.
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
      // No enhanced authentication.
    }
  }
}
