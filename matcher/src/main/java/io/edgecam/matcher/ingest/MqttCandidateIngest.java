package io.edgecam.matcher.ingest;

import io.edgecam.matcher.config.TlsConfig;
import io.edgecam.protocol.EdgecamException;
import io.edgecam.protocol.Health;
import io.edgecam.protocol.Topics;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The matcher's MQTT 5 connection (the only Paho user in the matcher): a persistent session (clean
 * start off, one-week session expiry) subscribed with QoS 1 to the shared candidates subscription,
 * so that N matchers split the load and candidates published while the matcher is away wait in the
 * broker. Messages are handed to a {@link CandidateHandler} on Paho's callback thread and
 * acknowledged when it returns; if it throws (store down), the connection is dropped unacknowledged
 * and the broker redelivers after the reconnect.
 *
 * <p>Reconnecting is ours, not Paho's: each reconnect uses a fresh Paho client with the same client
 * id (the broker keeps the session, its subscription and the queued candidates). Paho's automatic
 * reconnect reuses the old client's in-flight state, and Mosquitto 2.0 answered that with "protocol
 * error" disconnects in a loop, so candidates queued during a broker restart never arrived
 * (BrokerRestartExactlyOnceIT). The agent's link does the same for the same reason.
 *
 * <p>{@link #publish} blocks until the broker's PUBACK and is meant for one caller thread (the
 * alert dispatcher), which keeps a single QoS 1 publish in flight and so never hits the client's
 * in-flight limit. Thread-safe.
 */
public final class MqttCandidateIngest implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MqttCandidateIngest.class);
  private static final long TIMEOUT_MILLIS = 10_000;

  /** Bounds how many unacknowledged candidates the broker pushes at once. */
  private static final int RECEIVE_MAXIMUM = 64;

  private static final long MAX_BACKOFF_MILLIS = 30_000;

  private final String url;
  private final String clientId;
  private final String filter;
  private final MqttConnectionOptions options;
  private final CandidateHandler handler;
  private final ScheduledExecutorService reconnector;
  private volatile @Nullable MqttAsyncClient client;
  private volatile boolean closed;
  private volatile Health health = Health.degraded("connecting");

  private MqttCandidateIngest(
      String url,
      String clientId,
      String filter,
      MqttConnectionOptions options,
      CandidateHandler handler) {
    this.url = url;
    this.clientId = clientId;
    this.filter = filter;
    this.options = options;
    this.handler = handler;
    this.reconnector =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "matcher-mqtt-reconnect");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Connects, subscribes and starts delivering candidates to {@code handler}.
   *
   * @param url {@code tcp://} or {@code ssl://} broker URL
   * @param tls key stores for {@code ssl://}, or null
   * @param clientId stable client id (the broker keys the persistent session on it)
   * @param filter candidates topic filter, shared ({@link Topics#SHARED_CANDIDATES}) or not
   * @param sessionExpirySeconds how long the broker keeps the session while the matcher is away
   * @throws BrokerLinkException if the broker cannot be reached or refuses the subscription
   */
  public static MqttCandidateIngest start(
      String url,
      @Nullable TlsConfig tls,
      String clientId,
      String filter,
      long sessionExpirySeconds,
      CandidateHandler handler) {
    MqttConnectionOptions options = new MqttConnectionOptions();
    options.setCleanStart(false);
    options.setSessionExpiryInterval(sessionExpirySeconds);
    options.setAutomaticReconnect(false);
    options.setKeepAliveInterval(30);
    options.setConnectionTimeout((int) (TIMEOUT_MILLIS / 1000));
    options.setReceiveMaximum(RECEIVE_MAXIMUM);
    if (url.startsWith("tcp://")) {
      options.setSocketFactory(new NoDelaySocketFactory());
    }
    if (tls != null) {
      options.setSSLProperties(sslProperties(tls));
    }
    MqttCandidateIngest ingest = new MqttCandidateIngest(url, clientId, filter, options, handler);
    try {
      ingest.connect();
    } catch (MqttException | EdgecamException e) {
      ingest.close();
      throw new BrokerLinkException(
          "MQTT broker " + url + ": cannot connect and subscribe: " + e.getMessage(), e);
    }
    log.info("Subscribed to {} on {} as {}", filter, url, clientId);
    return ingest;
  }

  /** Connects a fresh client and subscribes (again: harmless when the session kept it). */
  private void connect() throws MqttException {
    MqttAsyncClient c = new MqttAsyncClient(url, clientId, new MemoryPersistence());
    c.setCallback(new Callback(c));
    client = c;
    c.connect(options).waitForCompletion(TIMEOUT_MILLIS);
    IMqttToken sub = c.subscribe(new MqttSubscription(filter, 1));
    sub.waitForCompletion(TIMEOUT_MILLIS);
    int[] codes = sub.getReasonCodes();
    if (codes == null || codes.length == 0 || codes[0] >= 0x80) {
      throw new EdgecamException(
          "subscription to "
              + filter
              + " refused (reason code "
              + (codes == null || codes.length == 0 ? "none" : "0x" + Integer.toHexString(codes[0]))
              + ")");
    }
    health = Health.ok();
  }

  private void scheduleReconnect(long delayMillis) {
    if (closed) {
      return;
    }
    try {
      reconnector.schedule(() -> reconnect(delayMillis), delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closing
    }
  }

  private void reconnect(long lastDelayMillis) {
    if (closed) {
      return;
    }
    discard(client);
    try {
      connect();
      log.info("Reconnected to {} as {}", url, clientId);
    } catch (MqttException | EdgecamException e) {
      long next = Math.min(MAX_BACKOFF_MILLIS, Math.max(250, lastDelayMillis * 2));
      log.debug("Reconnecting to {} failed ({}); next try in {} ms", url, e.getMessage(), next);
      scheduleReconnect(next);
    }
  }

  private static void discard(@Nullable MqttAsyncClient c) {
    if (c == null) {
      return;
    }
    try {
      if (c.isConnected()) {
        c.disconnectForcibly(0, 1000, false);
      }
    } catch (MqttException e) {
      log.debug("Dropping the old MQTT client failed", e);
    }
    try {
      c.close(true);
    } catch (MqttException e) {
      log.debug("Closing the old MQTT client failed", e);
    }
  }

  static Properties sslProperties(TlsConfig tls) {
    Properties p = new Properties();
    p.setProperty("com.ibm.ssl.trustStore", tls.trustStore().toString());
    if (tls.trustStorePassword() != null) {
      p.setProperty("com.ibm.ssl.trustStorePassword", tls.trustStorePassword());
    }
    if (tls.keyStore() != null) {
      p.setProperty("com.ibm.ssl.keyStore", tls.keyStore().toString());
      if (tls.keyStorePassword() != null) {
        p.setProperty("com.ibm.ssl.keyStorePassword", tls.keyStorePassword());
      }
    }
    return p;
  }

  /**
   * Publishes with QoS 1 and waits for the broker's acknowledgement.
   *
   * @throws BrokerLinkException if the broker is unreachable or does not acknowledge in time
   */
  public void publish(String topic, byte[] payload) {
    MqttAsyncClient c = client;
    if (c == null) {
      throw new BrokerLinkException(
          "publish to " + topic + " on " + url + " failed: not connected");
    }
    try {
      c.publish(topic, payload, 1, false).waitForCompletion(TIMEOUT_MILLIS);
    } catch (MqttException e) {
      throw new BrokerLinkException(
          "publish to " + topic + " on " + url + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * Publishes a retained message with QoS 1 and waits for the broker's acknowledgement.
   *
   * @throws BrokerLinkException if the broker is unreachable or does not acknowledge in time
   */
  public void publishRetained(String topic, byte[] payload) {
    MqttAsyncClient c = client;
    if (c == null) {
      throw new BrokerLinkException(
          "publish to " + topic + " on " + url + " failed: not connected");
    }
    try {
      c.publish(topic, payload, 1, true).waitForCompletion(TIMEOUT_MILLIS);
    } catch (MqttException e) {
      throw new BrokerLinkException(
          "publish to " + topic + " on " + url + " failed: " + e.getMessage(), e);
    }
  }

  /** OK while connected, DEGRADED while reconnecting. */
  public Health health() {
    return health;
  }

  @Override
  public void close() {
    closed = true;
    reconnector.shutdownNow();
    MqttAsyncClient c = client;
    if (c != null) {
      try {
        if (c.isConnected()) {
          c.disconnect().waitForCompletion(TIMEOUT_MILLIS);
        }
      } catch (MqttException e) {
        log.debug("MQTT disconnect from {} failed", url, e);
      }
      try {
        c.close(true);
      } catch (MqttException e) {
        log.debug("MQTT client close failed", e);
      }
    }
    health = Health.failed("closed");
  }

  /** Paho's callbacks; all on Paho's callback thread. */
  private final class Callback implements MqttCallback {
    private final MqttAsyncClient owner;

    Callback(MqttAsyncClient owner) {
      this.owner = owner;
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      // A RuntimeException escaping here makes Paho drop the connection without PUBACK: wanted.
      handler.handle(topic, message.getPayload());
    }

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {
      // connect() subscribes and sets the health itself.
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
      String why =
          response.getReasonString() != null
              ? response.getReasonString()
              : response.getException() != null
                  ? response.getException().getMessage()
                  : "connection lost";
      if (owner != client || closed) {
        return; // an old client's last words
      }
      health = Health.degraded("disconnected: " + why);
      log.warn("Disconnected from {} ({}); reconnecting", url, why);
      scheduleReconnect(0);
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
      log.warn("MQTT error on {}: {}", url, exception.getMessage());
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
      // publish() waits on its token.
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
      // No enhanced authentication.
    }
  }
}
