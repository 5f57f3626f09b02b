package io.edgecam.matcher.testing;

import io.edgecam.protocol.Alert;
import io.edgecam.protocol.JsonMessages;
import io.edgecam.protocol.Topics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttSubscription;

/** A plain MQTT 5 client standing in for agents (publishing) and alert consumers (subscribing). */
public final class TestMqtt implements AutoCloseable {
  private final MqttClient client;
  private final List<Alert> alerts = new CopyOnWriteArrayList<>();
  private final List<String> messages = new CopyOnWriteArrayList<>();

  public TestMqtt(String url) throws MqttException {
    client = new MqttClient(url, "test-" + UUID.randomUUID(), new MemoryPersistence());
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setCleanStart(true);
    client.connect(o);
  }

  /** Subscribes to the alerts topic; received alerts show up in {@link #alerts()}. */
  public TestMqtt subscribeAlerts() throws MqttException {
    client.subscribe(
        new MqttSubscription[] {new MqttSubscription(Topics.ALERTS, 1)},
        new org.eclipse.paho.mqttv5.client.IMqttMessageListener[] {
          (topic, msg) -> alerts.add(JsonMessages.decodeAlert(msg.getPayload()))
        });
    return this;
  }

  /** Subscribes to {@code topic}; payloads (UTF-8) show up in {@link #messages()}. */
  public TestMqtt subscribe(String topic) throws MqttException {
    client.subscribe(
        new MqttSubscription[] {new MqttSubscription(topic, 1)},
        new org.eclipse.paho.mqttv5.client.IMqttMessageListener[] {
          (t, msg) -> messages.add(new String(msg.getPayload(), StandardCharsets.UTF_8))
        });
    return this;
  }

  /** Subscribes to {@code filter}; each payload (retained ones too) is added to {@code into}. */
  public TestMqtt subscribe(String filter, List<String> into) throws MqttException {
    client.subscribe(
        new MqttSubscription[] {new MqttSubscription(filter, 1)},
        new org.eclipse.paho.mqttv5.client.IMqttMessageListener[] {
          (topic, msg) ->
              into.add(new String(msg.getPayload(), java.nio.charset.StandardCharsets.UTF_8))
        });
    return this;
  }

  public List<String> messages() {
    return messages;
  }

  public void publish(String topic, byte[] payload) throws MqttException {
    client.publish(topic, payload, 1, false);
  }

  public void publishCandidate(String site, String device, byte[] payload) throws MqttException {
    publish(Topics.candidates(site, device), payload);
  }

  public List<Alert> alerts() {
    return alerts;
  }

  @Override
  public void close() throws MqttException {
    if (client.isConnected()) {
      client.disconnect();
    }
    client.close();
  }
}
