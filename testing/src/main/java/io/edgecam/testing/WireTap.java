package io.edgecam.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * A plain MQTT subscriber that records every message of a topic filter as it arrived, as any client
 * allowed on the broker could: what the broker and its subscribers get to see.
 */
public final class WireTap implements AutoCloseable {
  /** One captured message. */
  public record Message(String topic, byte[] payload, boolean retained) {}

  private final MqttAsyncClient client;
  public final List<Message> messages = new CopyOnWriteArrayList<>();

  public WireTap(String url, String filter) throws MqttException {
    client =
        new MqttAsyncClient(
            url, "wiretap-" + Long.toHexString(System.nanoTime()), new MemoryPersistence());
    client.setCallback(
        new MqttCallback() {
          @Override
          public void disconnected(MqttDisconnectResponse r) {}

          @Override
          public void mqttErrorOccurred(MqttException e) {}

          @Override
          public void messageArrived(String topic, MqttMessage m) {
            messages.add(new Message(topic, m.getPayload(), m.isRetained()));
          }

          @Override
          public void deliveryComplete(IMqttToken token) {}

          @Override
          public void connectComplete(boolean reconnect, String serverURI) {}

          @Override
          public void authPacketArrived(int reasonCode, MqttProperties properties) {}
        });
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setCleanStart(true);
    o.setReceiveMaximum(1000);
    client.connect(o).waitForCompletion(10_000);
    client.subscribe(filter, 1).waitForCompletion(10_000);
  }

  /** Captured messages whose topic ends with {@code /kind}. */
  public List<Message> ofKind(String kind) {
    return messages.stream().filter(m -> m.topic().endsWith("/" + kind)).toList();
  }

  /**
   * Publishes {@code payload} on {@code topic} with QoS 1 and waits for the acknowledgement. Paho
   * frees an in-flight slot a little after it completes the previous token, so a publish right
   * after one can be refused with "too many publishes in progress": that one waits and tries again.
   */
  public void publish(String topic, byte[] payload) throws MqttException, InterruptedException {
    MqttMessage m = new MqttMessage(payload);
    m.setQos(1);
    for (int attempt = 1; ; attempt++) {
      try {
        client.publish(topic, m).waitForCompletion(10_000);
        return;
      } catch (MqttException e) {
        if (e.getReasonCode() != MqttClientException.REASON_CODE_MAX_INFLIGHT || attempt == 100) {
          throw e;
        }
        TimeUnit.MILLISECONDS.sleep(10);
      }
    }
  }

  @Override
  public void close() throws MqttException {
    if (client.isConnected()) {
      client.disconnect().waitForCompletion(5_000);
    }
    client.close(true);
  }
}
