package io.edgecam.fleet.update;

import io.edgecam.protocol.DeviceEvent;
import io.edgecam.protocol.JsonMessages;
import io.edgecam.protocol.Status;
import io.edgecam.protocol.Topics;
import io.edgecam.protocol.tuf.EdgecamTarget;
import io.edgecam.protocol.tuf.Metadata;
import io.edgecam.protocol.tuf.Targets;
import io.edgecam.protocol.tuf.mqtt.UpdateTopics;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * Devices of a site as the rollout sees them, on a real broker: each publishes a retained online
 * status and, whenever the maintainer's role metadata for {@code kind} changes, applies the rule of
 * {@link EdgecamTarget#select} (highest version it is eligible for) and reports the result with the
 * agent's event contract ({@code update}: kind, name, target, version, result, reason) and its new
 * status {@code versions}. Devices in {@code failing} reject every new version.
 */
final class SimulatedFleet implements AutoCloseable {
  private final MqttClient client;
  private final String site;
  private final EdgecamTarget.Kind kind;
  private final String name;
  private final Set<String> failing;
  private final Map<String, Long> versions = new ConcurrentHashMap<>();
  private final Map<String, String> results = new ConcurrentHashMap<>();
  private final List<String> devices;
  private final ExecutorService worker = Executors.newSingleThreadExecutor();

  SimulatedFleet(
      String url,
      String site,
      List<String> devices,
      EdgecamTarget.Kind kind,
      String name,
      Set<String> failing)
      throws MqttException {
    this.site = site;
    this.kind = kind;
    this.name = name;
    this.failing = failing;
    this.devices = devices;
    client = new MqttClient(url, "fleet-" + UUID.randomUUID(), new MemoryPersistence());
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setCleanStart(true);
    client.connect(o);
    for (String d : devices) {
      publishStatus(d);
    }
    String roleFile = (kind == EdgecamTarget.Kind.MODEL ? "models" : "watchlist") + ".json";
    client.setCallback(
        new org.eclipse.paho.mqttv5.client.MqttCallback() {
          @Override
          public void disconnected(org.eclipse.paho.mqttv5.client.MqttDisconnectResponse r) {}

          @Override
          public void mqttErrorOccurred(MqttException e) {}

          @Override
          public void messageArrived(String topic, org.eclipse.paho.mqttv5.common.MqttMessage msg) {
            String file = topic.substring(topic.lastIndexOf('/') + 1);
            if (file.endsWith("." + roleFile) && msg.getPayload().length > 0) {
              byte[] payload = msg.getPayload();
              worker.execute(() -> react(payload));
            }
          }

          @Override
          public void deliveryComplete(org.eclipse.paho.mqttv5.client.IMqttToken t) {}

          @Override
          public void connectComplete(boolean reconnect, String serverURI) {}

          @Override
          public void authPacketArrived(
              int reasonCode, org.eclipse.paho.mqttv5.common.packet.MqttProperties p) {}
        });
    client.subscribe(
        new org.eclipse.paho.mqttv5.common.MqttSubscription[] {
          new org.eclipse.paho.mqttv5.common.MqttSubscription(UpdateTopics.metadataFilter(site), 1)
        });
  }

  private void react(byte[] roleMetadata) {
    Map<String, io.edgecam.protocol.tuf.TargetFile> targets =
        Metadata.parse(roleMetadata, Targets.class).signed().targets();
    for (String d : devices) {
      Optional<EdgecamTarget.Listed> best = EdgecamTarget.select(targets, kind, name, d);
      if (best.isEmpty()) {
        continue;
      }
      long v = best.get().target().version();
      if (v <= versions.getOrDefault(d, 0L) || results.containsKey(d + "@" + v)) {
        continue;
      }
      boolean fail = failing.contains(d);
      Map<String, String> detail = new TreeMap<>();
      detail.put("kind", kind.wire());
      detail.put("name", name);
      detail.put("target", best.get().path());
      detail.put("version", Long.toString(v));
      detail.put("result", fail ? "rejected" : "applied");
      if (fail) {
        detail.put("reason", "self-test failed: cosine 0.41 < 0.95");
      }
      results.put(d + "@" + v, detail.get("result"));
      try {
        client.publish(
            Topics.events(site, d),
            JsonMessages.encode(
                new DeviceEvent(1, d, System.currentTimeMillis(), "update", detail)),
            1,
            false);
        if (!fail) {
          versions.put(d, v);
          publishStatus(d);
        }
      } catch (MqttException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private void publishStatus(String d) throws MqttException {
    Map<String, String> v = new TreeMap<>();
    v.put("agent", "0.1.0");
    if (versions.containsKey(d)) {
      v.put(Rollout.statusKey(kind, name), Long.toString(versions.get(d)));
    }
    client.publish(
        Topics.status(site, d),
        JsonMessages.encode(
            new Status(1, d, site, Status.ONLINE, System.currentTimeMillis(), v, null, null)),
        1,
        true);
  }

  /** Device to the version it runs. */
  Map<String, Long> versions() {
    return Map.copyOf(versions);
  }

  /** "device@version" to the result it reported. */
  Map<String, String> results() {
    return Map.copyOf(results);
  }

  @Override
  public void close() throws MqttException {
    worker.shutdownNow();
    for (String d : devices) {
      client.publish(Topics.status(site, d), new byte[0], 1, true); // clear retained status
    }
    client.disconnect();
    client.close();
  }
}
