package io.edgecam.matcher.ingest;

import io.edgecam.matcher.config.TlsConfig;
import io.edgecam.protocol.EdgecamException;
import io.edgecam.protocol.Health;
import io.edgecam.protocol.Topics;
import java.util.Properties;
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
 * The matcher's MQTT 5 connection (the only Paho user in the matcher): a persistent session
 * (clean start off, one-week session expiry) subscribed with QoS 1 to the shared candidates
 * subscription, so that N matchers split the load and candidates published while the matcher is
 * away wait in the broker. Messages are handed to a {@link CandidateHandler} on Paho's callback
 * thread and acknowledged when it returns; if it throws (store down), the connection is dropped
 * unacknowledged and the broker redelivers after the automatic reconnect.
 *
 * <p>{@link #publish} blocks until the broker's PUBACK and is meant for one caller thread (the
 * alert dispatcher), which keeps a single QoS 1 publish in flight and so never hits the client's
 * in-flight limit. Thread-safe.
 */
public final class MqttCandidateIngest implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MqttCandidateIngest.class);
  private static final long SESSION_EXPIRY_SECONDS = 7L * 24 * 3600;
  private static final long TIMEOUT_MILLIS = 10_000;
  /** Bounds how many unacknowledged candidates the broker pushes at once. */
  private static final int RECEIVE_MAXIMUM = 64;

  private final MqttAsyncClient client;
  private final String url;
  private volatile Health health = Health.degraded("connecting");

  private MqttCandidateIngest(MqttAsyncClient client, String url) {
    this.client = client;
    this.url = url;
  }

  /**
   * Connects, subscribes and starts delivering candidates to {@code handler}.
   *
   * @param url {@code tcp://} or {@code ssl://} broker URL
   * @param tls key stores for {@code ssl://}, or null
   * @param clientId stable client id (the broker keys the persistent session on it)
   * @throws BrokerLinkException if the broker cannot be reached or refuses the subscription
   */
  public static MqttCandidateIngest start(
      String url, @Nullable TlsConfig tls, String clientId, CandidateHandler handler) {
    MqttAsyncClient client;
    try {
      client = new MqttAsyncClient(url, clientId, new MemoryPersistence());
    } catch (MqttException e) {
      throw new BrokerLinkException("MQTT client for " + url + ": " + e.getMessage(), e);
    }
    MqttCandidateIngest ingest = new MqttCandidateIngest(client, url);
    client.setCallback(ingest.new Callback(handler));
    MqttConnectionOptions options = new MqttConnectionOptions();
    options.setCleanStart(false);
    options.setSessionExpiryInterval(SESSION_EXPIRY_SECONDS);
    options.setAutomaticReconnect(true);
    options.setAutomaticReconnectDelay(1, 30);
    options.setKeepAliveInterval(30);
    options.setConnectionTimeout((int) (TIMEOUT_MILLIS / 1000));
    options.setReceiveMaximum(RECEIVE_MAXIMUM);
    if (tls != null) {
      options.setSSLProperties(sslProperties(tls));
    }
    try {
      client.connect(options).waitForCompletion(TIMEOUT_MILLIS);
      IMqttToken sub = ingest.subscribe();
      sub.waitForCompletion(TIMEOUT_MILLIS);
      int[] codes = sub.getReasonCodes();
      if (codes == null || codes.length == 0 || codes[0] >= 0x80) {
        throw new EdgecamException("subscription to " + Topics.SHARED_CANDIDATES + " refused (reason code "
            + (codes == null || codes.length == 0 ? "none" : "0x" + Integer.toHexString(codes[0])) + ")");
      }
    } catch (MqttException | EdgecamException e) {
      ingest.close();
      throw new BrokerLinkException("MQTT broker " + url + ": cannot connect and subscribe: " + e.getMessage(), e);
    }
    ingest.health = Health.ok();
    log.info("Subscribed to {} on {} as {}", Topics.SHARED_CANDIDATES, url, clientId);
    return ingest;
  }

  private IMqttToken subscribe() throws MqttException {
    return client.subscribe(new MqttSubscription(Topics.SHARED_CANDIDATES, 1));
  }

  private static Properties sslProperties(TlsConfig tls) {
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
    try {
      client.publish(topic, payload, 1, false).waitForCompletion(TIMEOUT_MILLIS);
    } catch (MqttException e) {
      throw new BrokerLinkException("publish to " + topic + " on " + url + " failed: " + e.getMessage(), e);
    }
  }

  /** OK while connected, DEGRADED while reconnecting. */
  public Health health() {
    return health;
  }

  @Override
  public void close() {
    try {
      if (client.isConnected()) {
        client.disconnect().waitForCompletion(TIMEOUT_MILLIS);
      }
    } catch (MqttException e) {
      log.debug("MQTT disconnect from {} failed", url, e);
    }
    try {
      client.close(true);
    } catch (MqttException e) {
      log.debug("MQTT client close failed", e);
    }
    health = Health.failed("closed");
  }

  /** Paho's callbacks; all on Paho's callback thread. */
  private final class Callback implements MqttCallback {
    private final CandidateHandler handler;

    Callback(CandidateHandler handler) {
      this.handler = handler;
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      // A RuntimeException escaping here makes Paho drop the connection without PUBACK: wanted.
      handler.handle(topic, message.getPayload());
    }

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {
      if (!reconnect) {
        return;
      }
      health = Health.ok();
      log.info("Reconnected to {}", serverUri);
      try {
        // The session normally kept the subscription; subscribing again is harmless if it did.
        subscribe();
      } catch (MqttException e) {
        log.warn("Re-subscribing after reconnect to {} failed: {}", serverUri, e.getMessage());
      }
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
      String why = response.getReasonString() != null ? response.getReasonString()
          : response.getException() != null ? response.getException().getMessage() : "connection lost";
      health = Health.degraded("disconnected: " + why);
      log.warn("Disconnected from {} ({}); reconnecting automatically", url, why);
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
