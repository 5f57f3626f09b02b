package io.edgecam.agent.gpio;

import static org.awaitility.Awaitility.await;

import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records the transitions of a (mock) LED pin with their times, to check blink patterns. */
final class LedRecorder {
  record Transition(boolean lit, long nanos) {}

  /** A stretch between two transitions: lit or dark, and how long. */
  record Phase(boolean lit, long millis) {}

  private final DigitalOutput pin;
  private final List<Transition> transitions = new CopyOnWriteArrayList<>();

  LedRecorder(DigitalOutput pin) {
    this.pin = pin;
    pin.addListener(e -> transitions.add(new Transition(e.state() == DigitalState.HIGH, now())));
  }

  private static long now() {
    return System.nanoTime();
  }

  long mark() {
    return now();
  }

  boolean isLit() {
    return pin.state() == DigitalState.HIGH;
  }

  List<Transition> since(long nanos) {
    return transitions.stream().filter(t -> t.nanos() > nanos).toList();
  }

  /** Whether the pin has not changed for {@code d}. */
  boolean quietFor(Duration d) {
    long cut = now() - d.toNanos();
    return transitions.isEmpty() || transitions.get(transitions.size() - 1).nanos() < cut;
  }

  /** Waits for {@code n} complete phases after {@code nanos} and returns them. */
  List<Phase> phasesAfter(long nanos, int n) {
    await().atMost(Duration.ofSeconds(30)).until(() -> since(nanos).size() >= n + 1);
    List<Transition> t = since(nanos);
    List<Phase> phases = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      phases.add(new Phase(t.get(i).lit(), (t.get(i + 1).nanos() - t.get(i).nanos()) / 1_000_000));
    }
    return phases;
  }

  /** Median length of the lit (or dark) phases, in ms. */
  static long median(List<Phase> phases, boolean lit) {
    List<Long> ms =
        phases.stream().filter(p -> p.lit() == lit).map(Phase::millis).sorted().toList();
    return ms.get(ms.size() / 2);
  }
}
