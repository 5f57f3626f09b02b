package io.edgecam.fleet.update;

import io.edgecam.protocol.DeviceEvent;
import io.edgecam.protocol.EdgecamException;
import io.edgecam.protocol.JsonMessages;
import io.edgecam.protocol.MalformedMessageException;
import io.edgecam.protocol.Status;
import io.edgecam.protocol.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a site's devices: the retained {@code status} of each and the {@code update} events they
 * publish (the agent's contract: {@link DeviceEvent} type {@code update}, detail {@code kind},
 * {@code name}, {@code target}, {@code version}, {@code result} = staged | applied | rejected |
 * rolled_back, {@code reason}). Malformed messages are counted and ignored. Thread-safe.
 */
public final class FleetWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FleetWatcher.class);

  /** The event type of update results. */
  public static final String UPDATE_EVENT = "update";

  /** One update result a device reported. */
  public record UpdateResult(
      String device,
      String kind,
      String name,
      String target,
      long version,
      String result,
      String reason,
      long time) {}

  private final MqttClient client;
  private final String site;
  private final Map<String, Status> statuses = new TreeMap<>();
  private final List<UpdateResult> results = new ArrayList<>();
  private long malformed;
  private long lastMessageNanos = System.nanoTime();

  /** Connects and subscribes to the site's status and events topics. */
  public FleetWatcher(BrokerTarget broker, String site) {
    this.site = site;
    try {
      client =
          new MqttClient(
              broker.url(), "edgecam-rollout-" + UUID.randomUUID(), new MemoryPersistence());
      client.setTimeToWait(30_000);
      client.setCallback(new Callback());
      client.connect(broker.options());
      String prefix = Topics.ROOT + "/" + site + "/+/";
      client.subscribe(
          new MqttSubscription[] {
            new MqttSubscription(prefix + Topics.STATUS, 1),
            new MqttSubscription(prefix + Topics.EVENTS, 1)
          });
    } catch (MqttException e) {
      throw new EdgecamException("cannot watch site " + site + " on " + broker.url() + ": " + e, e);
    }
  }

  private synchronized void onMessage(String topic, byte[] payload) {
    lastMessageNanos = System.nanoTime();
    Topics.DeviceTopic t;
    try {
      t = Topics.parseDeviceTopic(topic);
      if (!t.site().equals(site) || payload.length == 0) {
        return;
      }
      if (t.kind().equals(Topics.STATUS)) {
        Status s = JsonMessages.decodeStatus(payload);
        if (s.device().equals(t.device())) {
          statuses.put(s.device(), s);
        }
      } else if (t.kind().equals(Topics.EVENTS)) {
        DeviceEvent e = JsonMessages.decodeEvent(payload);
        if (e.device().equals(t.device()) && UPDATE_EVENT.equals(e.type())) {
          Map<String, String> d = e.detail();
          long version;
          try {
            // "" = the device could not trust any target (e.g. a failed refresh): version 0
            String v = d.getOrDefault("version", "");
            version = v.isEmpty() ? 0 : Long.parseLong(v);
          } catch (NumberFormatException ex) {
            malformed++;
            return;
          }
          results.add(
              new UpdateResult(
                  e.device(),
                  d.getOrDefault("kind", ""),
                  d.getOrDefault("name", ""),
                  d.getOrDefault("target", ""),
                  version,
                  d.getOrDefault("result", ""),
                  d.getOrDefault("reason", ""),
                  e.time()));
        }
      }
      notifyAll();
    } catch (MalformedMessageException e) {
      malformed++;
      log.debug("ignoring a malformed message on {}: {}", topic, e.getMessage());
    }
  }

  /** The latest status of each device that has one (retained ones arrive right after connect). */
  public synchronized Map<String, Status> statuses() {
    return new TreeMap<>(statuses);
  }

  /** Every update result received so far. */
  public synchronized List<UpdateResult> results() {
    return List.copyOf(results);
  }

  /** Messages that did not decode. */
  public synchronized long malformed() {
    return malformed;
  }

  /** Waits until no message arrived for {@code quiet} (retained statuses delivered). */
  public synchronized void awaitQuiet(Duration quiet, Duration max) throws InterruptedException {
    long end = System.nanoTime() + max.toNanos();
    while (true) {
      long left = lastMessageNanos + quiet.toNanos() - System.nanoTime();
      long untilEnd = end - System.nanoTime();
      if (left <= 0 || untilEnd <= 0) {
        return;
      }
      wait(Math.max(1, Math.min(left, untilEnd) / 1_000_000));
    }
  }

  /**
   * Waits until {@code done} holds for the results, or {@code max} passed; returns whether it held.
   */
  public synchronized boolean await(Predicate<List<UpdateResult>> done, Duration max)
      throws InterruptedException {
    long end = System.nanoTime() + max.toNanos();
    while (!done.test(List.copyOf(results))) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return true;
  }

  @Override
  public void close() {
    try {
      if (client.isConnected()) {
        client.disconnect();
      }
      client.close();
    } catch (MqttException e) {
      log.debug("closing the fleet watcher: {}", e.toString());
    }
  }

  private final class Callback implements MqttCallback {
    @Override
    public void disconnected(MqttDisconnectResponse r) {
      log.warn("fleet watcher disconnected: {}", r.getReasonString());
    }

    @Override
    public void mqttErrorOccurred(MqttException e) {
      log.warn("fleet watcher: {}", e.toString());
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      onMessage(topic, message.getPayload());
    }

    @Override
    public void deliveryComplete(IMqttToken token) {}

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {}

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {}
  }
}
