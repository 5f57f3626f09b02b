package io.edgecam.agent.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteEventSpoolTest {
  @TempDir Path dir;

  @Test
  void eventsSurviveReopeningInOrderUntilRemoved() {
    Path file = dir.resolve("events.db");
    try (SqliteEventSpool s = SqliteEventSpool.open(file, 10)) {
      s.append("tamper", bytes("a"));
      s.append("update", bytes("b"));
    }
    try (SqliteEventSpool s = SqliteEventSpool.open(file, 10)) {
      assertThat(s.size()).isEqualTo(2);
      SqliteEventSpool.Stored first = s.oldest();
      assertThat(first.type()).isEqualTo("tamper");
      assertThat(new String(first.payload(), StandardCharsets.UTF_8)).isEqualTo("a");
      s.remove(first.id());
      assertThat(s.oldest().type()).isEqualTo("update");
      assertThat(s.size()).isEqualTo(1);
    }
  }

  @Test
  void beyondCapacityTheOldestIsDroppedAndCountedAcrossRestarts() {
    Path file = dir.resolve("events.db");
    try (SqliteEventSpool s = SqliteEventSpool.open(file, 2)) {
      assertThat(s.append("e1", bytes("1"))).isNull();
      assertThat(s.append("e2", bytes("2"))).isNull();
      assertThat(s.append("e3", bytes("3"))).isEqualTo("e1");
      assertThat(s.size()).isEqualTo(2);
      assertThat(s.dropped()).isEqualTo(1);
    }
    try (SqliteEventSpool s = SqliteEventSpool.open(file, 2)) {
      assertThat(s.dropped()).isEqualTo(1);
      assertThat(s.oldest().type()).isEqualTo("e2");
    }
  }

  @Test
  void aFileThatIsNotASpoolIsNamed() throws Exception {
    Path file =
        Files.writeString(dir.resolve("events.db"), "not a database, just text ".repeat(50));

    assertThatThrownBy(() -> SqliteEventSpool.open(file, 10))
        .isInstanceOf(SpoolException.class)
        .hasMessageContaining(file.toString());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
