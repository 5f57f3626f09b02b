package io.edgecam.matcher.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgecam.agent.config.MqttConfig;
import io.edgecam.agent.publish.PahoBrokerLink;
import io.edgecam.protocol.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Devices of site {@code site-1} publishing candidate payloads with the agent's own MQTT link (QoS
 * 1, its in-flight window as back-pressure), one connection and one thread each, for the scale-out
 * and fault tests.
 */
public final class SimulatedDevices {
  private SimulatedDevices() {}

  /**
   * Publishes every device's payloads in order and returns once the broker acknowledged all.
   *
   * @param clientSuffix appended to each device's client id ({@code device-ID-SUFFIX})
   * @param pause between two publishes of one device (a stream rather than one burst), or zero
   * @param ackTimeout how long one publish may wait for its PUBACK; all of a device's within twice
   *     that
   */
  public static void publish(
      String brokerUrl,
      Map<String, List<byte[]>> payloadsByDevice,
      String clientSuffix,
      Duration pause,
      Duration ackTimeout)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(payloadsByDevice.size());
    try {
      List<Future<?>> devices = new ArrayList<>();
      for (Map.Entry<String, List<byte[]>> e : payloadsByDevice.entrySet()) {
        String device = e.getKey();
        devices.add(
            pool.submit(
                () -> {
                  MqttConfig mqtt =
                      new MqttConfig(brokerUrl, null, null, null, null, 0, 16, 30, 60);
                  try (PahoBrokerLink link =
                      new PahoBrokerLink(
                          mqtt,
                          "device-" + device + clientSuffix,
                          new PahoBrokerLink.Will(
                              Topics.status("site-1", device), new byte[] {'{', '}'}))) {
                    link.start();
                    assertThat(link.awaitConnected(Duration.ofSeconds(20))).isTrue();
                    List<CompletableFuture<Void>> acks = new ArrayList<>();
                    for (byte[] p : e.getValue()) {
                      acks.add(
                          link.publish(Topics.candidates("site-1", device), p, false, ackTimeout));
                      if (!pause.isZero()) {
                        TimeUnit.MILLISECONDS.sleep(pause.toMillis());
                      }
                    }
                    CompletableFuture.allOf(acks.toArray(new CompletableFuture<?>[0]))
                        .get(2 * ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
                  }
                  return null;
                }));
      }
      for (Future<?> f : devices) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
