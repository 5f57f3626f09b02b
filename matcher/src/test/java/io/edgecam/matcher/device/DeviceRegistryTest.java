package io.edgecam.matcher.device;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgecam.protocol.Health;
import io.edgecam.protocol.JsonMessages;
import io.edgecam.protocol.Status;
import io.edgecam.protocol.Topics;
import io.edgecam.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeviceRegistryTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2025-06-01T10:00:00Z"));
  private final DeviceRegistry registry = new DeviceRegistry(clock);

  private static byte[] online(String site, String device, long time) {
    return JsonMessages.encode(
        new Status(
            1,
            device,
            site,
            Status.ONLINE,
            time,
            Map.of("agent", "0.3"),
            Map.of("camera", Health.ok(), "broker", Health.degraded("slow")),
            Map.of("frames", 42L)));
  }

  @Test
  void lastWillTurnsADeviceOfflineKeepingWhatItLastReported() {
    List<DeviceView> changes = new ArrayList<>();
    registry.addListener(changes::add);
    registry.onStatus(Topics.status("s1", "cam-1"), online("s1", "cam-1", 1000));
    Instant seen = clock.instant();
    clock.advance(Duration.ofMinutes(5));
    registry.onStatus(
        Topics.status("s1", "cam-1"), JsonMessages.encode(Status.offline("s1", "cam-1", 2000)));
    DeviceView d = registry.devices().get(0);
    assertThat(d.online()).isFalse();
    assertThat(d.lastSeen()).isEqualTo(seen);
    assertThat(d.statusTime()).isEqualTo(Instant.ofEpochMilli(2000));
    assertThat(d.versions()).containsEntry("agent", "0.3");
    assertThat(d.counters()).containsEntry("frames", 42L);
    assertThat(d.overallHealth()).isEqualTo(Health.State.DEGRADED);
    assertThat(changes).hasSize(2);
  }

  @Test
  void aStatusForAnotherDeviceOrGarbageIsRejectedAndCounted() {
    registry.onStatus(Topics.status("s1", "cam-1"), online("s1", "cam-2", 1000));
    registry.onStatus(Topics.status("s1", "cam-1"), online("s2", "cam-1", 1000));
    registry.onStatus(Topics.status("s1", "cam-1"), "{".getBytes(StandardCharsets.UTF_8));
    registry.onStatus(Topics.candidates("s1", "cam-1"), online("s1", "cam-1", 1000));
    registry.onStatus("edgecam/v1/s1", online("s1", "cam-1", 1000));
    assertThat(registry.devices()).isEmpty();
    assertThat(registry.rejected()).isEqualTo(5);
  }

  @Test
  void aClearedRetainedStatusForgetsTheDeviceAndListsAreSorted() {
    registry.onStatus(Topics.status("s2", "cam-1"), online("s2", "cam-1", 1));
    registry.onStatus(Topics.status("s1", "cam-9"), online("s1", "cam-9", 1));
    registry.onStatus(Topics.status("s1", "cam-1"), online("s1", "cam-1", 1));
    assertThat(registry.devices())
        .extracting(d -> d.site() + "/" + d.device())
        .containsExactly("s1/cam-1", "s1/cam-9", "s2/cam-1");
    registry.onStatus(Topics.status("s1", "cam-9"), new byte[0]);
    assertThat(registry.devices()).hasSize(2);
  }

  @Test
  void statusOfARevokedDeviceIsRefusedAndTheDeviceForgotten() {
    java.util.Set<String> revoked = new java.util.concurrent.CopyOnWriteArraySet<>();
    DeviceRegistry r = new DeviceRegistry(clock, revoked::contains);
    r.onStatus(Topics.status("s1", "cam-1"), online("s1", "cam-1", 1000));
    r.onStatus(Topics.status("s1", "cam-2"), online("s1", "cam-2", 1000));

    revoked.add("cam-1");
    r.onStatus(Topics.status("s1", "cam-1"), online("s1", "cam-1", 2000));

    assertThat(r.devices()).extracting(DeviceView::device).containsExactly("cam-2");
    assertThat(r.revoked()).isEqualTo(1);
    assertThat(r.rejected()).isZero();
  }
}
