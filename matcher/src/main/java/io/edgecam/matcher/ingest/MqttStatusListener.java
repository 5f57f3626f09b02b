package io.edgecam.matcher.ingest;

import io.edgecam.matcher.config.TlsConfig;
import java.util.function.BiConsumer;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
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
 * Follows the devices' status topics on a connection of its own ({@code CLIENTID-status}), apart
 * from the candidates session: no persistent session (clean start, no expiry), because the broker
 * retains each device's latest status and sends it on every subscribe, so nothing needs queueing.
 * Paho's automatic reconnect is safe here for the same reason (the candidates link avoids it
 * because of its persistent session); every reconnect subscribes again and gets the retained
 * statuses anew. Messages go to the handler on Paho's callback thread. Thread-safe.
 */
public final class MqttStatusListener implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MqttStatusListener.class);
  private static final long TIMEOUT_MILLIS = 10_000;

  private final MqttAsyncClient client;
  private final String filter;

  private MqttStatusListener(MqttAsyncClient client, String filter) {
    this.client = client;
    this.filter = filter;
  }

  /**
   * Connects and subscribes to {@code filter} (e.g. {@code edgecam/v1/+/+/status}).
   *
   * @throws BrokerLinkException if the broker cannot be reached or refuses the subscription
   */
  public static MqttStatusListener start(
      String url,
      @Nullable TlsConfig tls,
      String clientId,
      String filter,
      BiConsumer<String, byte[]> handler) {
    MqttAsyncClient c;
    try {
      c = new MqttAsyncClient(url, clientId, new MemoryPersistence());
    } catch (MqttException e) {
      throw new BrokerLinkException("MQTT broker " + url + ": " + e.getMessage(), e);
    }
    MqttStatusListener listener = new MqttStatusListener(c, filter);
    c.setCallback(listener.new Callback(handler));
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setCleanStart(true);
    o.setSessionExpiryInterval(0L);
    o.setAutomaticReconnect(true);
    o.setAutomaticReconnectDelay(1, 30);
    o.setKeepAliveInterval(30);
    o.setConnectionTimeout((int) (TIMEOUT_MILLIS / 1000));
    if (tls != null) {
      o.setSSLProperties(MqttCandidateIngest.sslProperties(tls));
    }
    try {
      c.connect(o).waitForCompletion(TIMEOUT_MILLIS);
      IMqttToken sub = c.subscribe(new MqttSubscription(filter, 1));
      sub.waitForCompletion(TIMEOUT_MILLIS);
      int[] codes = sub.getReasonCodes();
      if (codes == null || codes.length == 0 || codes[0] >= 0x80) {
        throw new BrokerLinkException("subscription to " + filter + " refused");
      }
    } catch (MqttException | BrokerLinkException e) {
      listener.close();
      throw new BrokerLinkException(
          "MQTT broker " + url + ": cannot follow device status: " + e.getMessage(), e);
    }
    log.info("Following device status on {} as {}", filter, clientId);
    return listener;
  }

  @Override
  public void close() {
    try {
      if (client.isConnected()) {
        client.disconnect().waitForCompletion(TIMEOUT_MILLIS);
      }
    } catch (MqttException e) {
      log.debug("Disconnecting the status listener failed", e);
    }
    try {
      client.close(true);
    } catch (MqttException e) {
      log.debug("Closing the status listener failed", e);
    }
  }

  private final class Callback implements MqttCallback {
    private final BiConsumer<String, byte[]> handler;

    Callback(BiConsumer<String, byte[]> handler) {
      this.handler = handler;
    }

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {
      if (!reconnect) {
        return; // start() subscribes and waits for the SUBACK
      }
      // A clean session after a reconnect: subscribe again, without waiting, since this is the
      // callback thread that would deliver the SUBACK.
      try {
        client.subscribe(
            filter,
            1,
            null,
            new MqttActionListener() {
              @Override
              public void onSuccess(IMqttToken token) {
                log.info("Status listener reconnected to {}", serverUri);
              }

              @Override
              public void onFailure(IMqttToken token, Throwable e) {
                log.warn("Subscribing again to {} failed: {}", filter, e.getMessage());
              }
            });
      } catch (MqttException e) {
        log.warn("Subscribing again to {} failed: {}", filter, e.getMessage());
      }
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      try {
        handler.accept(topic, message.getPayload());
      } catch (RuntimeException e) {
        log.warn("Status on {} not handled: {}", topic, e.getMessage());
      }
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
      log.debug("Status listener disconnected; Paho reconnects");
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
      log.debug("Status listener MQTT error: {}", exception.getMessage());
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
      // never publishes
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
      // no enhanced authentication
    }
  }
}
