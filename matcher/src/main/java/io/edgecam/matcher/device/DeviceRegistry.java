package io.edgecam.matcher.device;

import io.edgecam.protocol.JsonMessages;
import io.edgecam.protocol.MalformedMessageException;
import io.edgecam.protocol.Status;
import io.edgecam.protocol.Topics;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet as the status topics tell it: each device's retained status ({@code
 * edgecam/v1/{site}/{device}/status}), online while it is connected, offline once the broker
 * publishes its last will. Kept in memory only: the broker retains every device's latest status and
 * sends it again when the matcher subscribes. A status whose device or site differs from its
 * topic's is rejected (a device speaking for another). Thread-safe; listeners run on the thread
 * that delivered the status.
 */
public final class DeviceRegistry {
  private static final Logger log = LoggerFactory.getLogger(DeviceRegistry.class);

  private final Map<String, DeviceView> devices = new ConcurrentHashMap<>();
  private final List<Consumer<DeviceView>> listeners = new CopyOnWriteArrayList<>();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong revokedCount = new AtomicLong();
  private final Clock clock;
  private final Predicate<String> revoked;

  public DeviceRegistry(Clock clock) {
    this(clock, device -> false);
  }

  /**
   * @param revoked true for a device id whose status is refused (and which is forgotten)
   */
  public DeviceRegistry(Clock clock, Predicate<String> revoked) {
    this.clock = clock;
    this.revoked = revoked;
  }

  /**
   * Takes one message of the status topic filter. An empty payload (a cleared retained status)
   * forgets the device. Malformed messages are counted and logged, never thrown.
   */
  public void onStatus(String topic, byte[] payload) {
    Topics.DeviceTopic t;
    Status s;
    try {
      t = Topics.parseDeviceTopic(topic);
      if (!Topics.STATUS.equals(t.kind())) {
        throw new MalformedMessageException("topic: not a status topic");
      }
      if (revoked.test(t.device())) {
        devices.remove(key(t.site(), t.device()));
        long n = revokedCount.incrementAndGet();
        if (n <= 10 || n % 1000 == 0) {
          log.warn("Refused status of revoked device {}/{} ({} so far)", t.site(), t.device(), n);
        }
        return;
      }
      if (payload.length == 0) {
        if (devices.remove(key(t.site(), t.device())) != null) {
          log.info("Device {}/{} forgotten (retained status cleared)", t.site(), t.device());
        }
        return;
      }
      s = JsonMessages.decodeStatus(payload);
      if (!s.device().equals(t.device()) || !s.site().equals(t.site())) {
        throw new MalformedMessageException(
            "status of " + s.site() + "/" + s.device() + " on the topic of another device");
      }
    } catch (MalformedMessageException e) {
      long n = rejected.incrementAndGet();
      if (n <= 10 || n % 1000 == 0) {
        log.warn("Rejected status on {} ({} so far): {}", topic, n, e.getMessage());
      }
      return;
    }
    DeviceView view = devices.compute(key(s.site(), s.device()), (k, old) -> merge(old, s));
    listeners.forEach(l -> l.accept(view));
  }

  private DeviceView merge(DeviceView old, Status s) {
    Instant time = Instant.ofEpochMilli(s.time());
    if (Status.ONLINE.equals(s.state())) {
      return new DeviceView(
          s.site(),
          s.device(),
          true,
          time,
          clock.instant(),
          s.versions(),
          s.health(),
          s.counters());
    }
    // The last will carries no versions, health or counters: keep the last known ones.
    return old == null
        ? new DeviceView(s.site(), s.device(), false, time, null, Map.of(), Map.of(), Map.of())
        : new DeviceView(
            s.site(),
            s.device(),
            false,
            time,
            old.lastSeen(),
            old.versions(),
            old.health(),
            old.counters());
  }

  private static String key(String site, String device) {
    return site + "/" + device;
  }

  /** Every known device, by site then device id. */
  public List<DeviceView> devices() {
    return devices.values().stream()
        .sorted(Comparator.comparing(DeviceView::site).thenComparing(DeviceView::device))
        .toList();
  }

  /** Calls {@code listener} with every changed device from now on. Must not block. */
  public void addListener(Consumer<DeviceView> listener) {
    listeners.add(listener);
  }

  /** Status messages refused because their device is revoked. */
  public long revoked() {
    return revokedCount.get();
  }

  /** Status messages rejected as malformed or misaddressed. */
  public long rejected() {
    return rejected.get();
  }
}
