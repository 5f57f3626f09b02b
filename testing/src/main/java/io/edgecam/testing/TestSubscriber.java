package io.edgecam.testing;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.jspecify.annotations.Nullable;

/**
 * A subscriber with its own persistent session (clean start off, long expiry, automatic reconnect)
 * that records candidate sequences and raw messages of one topic filter.
 */
/**
 * A persistent-session QoS 1 subscriber that records what it receives: every payload, and either
 * the sequence numbers of candidates (given the function that reads one, e.g. {@code p ->
 * CandidateCodec.decode(p).sequence()}) or the payloads as text.
 */
public final class TestSubscriber implements AutoCloseable {
  private final MqttAsyncClient client;
  public final Set<Long> sequences = ConcurrentHashMap.newKeySet();
  public final AtomicLong received = new AtomicLong();
  public final List<String> payloads = new CopyOnWriteArrayList<>();
  public final List<byte[]> raw = new CopyOnWriteArrayList<>();

  public TestSubscriber(
      String url, String clientId, String filter, @Nullable ToLongFunction<byte[]> sequenceOf)
      throws MqttException {
    client = new MqttAsyncClient(url, clientId, new MemoryPersistence());
    client.setCallback(
        new MqttCallback() {
          @Override
          public void disconnected(MqttDisconnectResponse r) {}

          @Override
          public void mqttErrorOccurred(MqttException e) {}

          @Override
          public void messageArrived(String topic, MqttMessage message) {
            received.incrementAndGet();
            raw.add(message.getPayload());
            if (sequenceOf != null) {
              sequences.add(sequenceOf.applyAsLong(message.getPayload()));
            } else {
              payloads.add(
                  new String(message.getPayload(), java.nio.charset.StandardCharsets.UTF_8));
            }
          }

          @Override
          public void deliveryComplete(IMqttToken token) {}

          @Override
          public void connectComplete(boolean reconnect, String serverURI) {}

          @Override
          public void authPacketArrived(int reasonCode, MqttProperties properties) {}
        });
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setCleanStart(false);
    o.setSessionExpiryInterval(3600L);
    o.setAutomaticReconnect(true);
    o.setAutomaticReconnectDelay(1, 1);
    o.setReceiveMaximum(1000);
    client.connect(o).waitForCompletion(10_000);
    client.subscribe(filter, 1).waitForCompletion(10_000);
  }

  public boolean isConnected() {
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
