package io.edgecam.ctl.provision;

import io.edgecam.agent.config.MqttConfig;
import io.edgecam.agent.publish.PemTls;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * A plain Paho v5 client with a device's or matcher's TLS material, recording what it receives as
 * {@code topic payload} lines; for what the agent's link does not do (subscribe, pick a client id).
 */
final class TlsClient implements AutoCloseable {
  final List<String> received = new CopyOnWriteArrayList<>();
  private final MqttAsyncClient client;

  TlsClient(MqttConfig mqtt, String url, String clientId) throws MqttException {
    client = new MqttAsyncClient(url, clientId, new MemoryPersistence());
    client.setCallback(
        new MqttCallback() {
          @Override
          public void disconnected(MqttDisconnectResponse r) {}

          @Override
          public void mqttErrorOccurred(MqttException e) {}

          @Override
          public void messageArrived(String topic, MqttMessage m) {
            received.add(topic + " " + new String(m.getPayload(), StandardCharsets.UTF_8));
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
    o.setSocketFactory(PemTls.context(mqtt.tls()).getSocketFactory());
    client.connect(o).waitForCompletion(10_000);
  }

  /** Subscribes with QoS 1; returns the SUBACK reason code. */
  int subscribe(String filter) throws MqttException {
    IMqttToken t = client.subscribe(filter, 1);
    t.waitForCompletion(10_000);
    return t.getReasonCodes()[0];
  }

  /** Publishes with QoS 1; returns the PUBACK reason code. */
  int publish(String topic, String payload) throws MqttException {
    return publish(topic, payload.getBytes(StandardCharsets.UTF_8));
  }

  /** Publishes with QoS 1; returns the PUBACK reason code. */
  int publish(String topic, byte[] payload) throws MqttException {
    IMqttToken t = client.publish(topic, payload, 1, false);
    t.waitForCompletion(10_000);
    int[] codes = t.getReasonCodes();
    return codes == null || codes.length == 0 ? 0 : codes[0];
  }

  boolean isConnected() {
    return client.isConnected();
  }

  @Override
  public void close() throws MqttException {
    if (client.isConnected()) {
      client.disconnect().waitForCompletion(5_000);
    }
    client.close(true);
  }
}
